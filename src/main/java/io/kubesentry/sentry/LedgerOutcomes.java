package io.kubesentry.sentry;

import io.kubesentry.sentry.transport.SentryTransport;
import java.util.function.LongSupplier;

/** What a client's transport tells: into its ledger, losses and failed attempts to the agent's metrics too. */
public final class LedgerOutcomes implements SentryTransport.Outcomes {

    private final DeliveryLedger ledger;
    private final SentryPublisher.DropListener dropped;
    private final Runnable failed;

    public LedgerOutcomes(DeliveryLedger ledger, SentryPublisher.DropListener dropped, Runnable failed) {
        this.ledger = ledger;
        this.dropped = dropped;
        this.failed = failed;
    }

    @Override
    public void delivered(String category, long quantity) {
        ledger.delivered(category, quantity);
    }

    @Override
    public void lost(String reason, String category, long quantity) {
        ledger.lost(reason, category, quantity);
        dropped.dropped(reason, category, quantity);
    }

    @Override
    public void failedAttempt() {
        failed.run();
    }

    @Override
    public void waiting(LongSupplier envelopes) {
        ledger.waiting(envelopes);
    }
}
