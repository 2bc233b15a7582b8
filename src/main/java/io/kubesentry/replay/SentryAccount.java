package io.kubesentry.replay;

import io.kubesentry.config.Durations;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import io.kubesentry.sentry.DeliveryTotals;
import io.kubesentry.sentry.SentryPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replay's publisher: passes everything on, and once the deadline has begun lets no flush (Camel's at stop
 * included) wait past it. What Sentry took and what was lost is read from the clients' {@link DeliveryTotals}:
 * the agent keeps one account, and a replay prints it.
 */
final class SentryAccount implements SentryPublisher {

    private final SentryPublisher delegate;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile String deadline = "";

    public SentryAccount(SentryPublisher delegate) {
        this.delegate = delegate;
    }

    /** Sends what waits, retrying until {@code timeout} from now; what is left then is lost when closed. */
    public void deliver(Duration timeout) {
        deadline = Durations.text(timeout);
        deadlineNanos = System.nanoTime() + timeout.toNanos();
        flush(timeout);
    }

    @Override
    public void publish(IssueReport issue) {
        delegate.publish(issue);
    }

    @Override
    public void publish(LogRecord log) {
        delegate.publish(log);
    }

    @Override
    public void onDropped(DropListener listener) {
        delegate.onDropped(listener);
    }

    @Override
    public void onSendFailure(Runnable listener) {
        delegate.onSendFailure(listener);
    }

    @Override
    public void onForgotten(Runnable listener) {
        delegate.onForgotten(listener);
    }

    @Override
    public DeliveryTotals totals() {
        return delegate.totals();
    }

    @Override
    public void flush(Duration timeout) {
        long left = Math.min(timeout.toNanos(), deadlineNanos - System.nanoTime());
        if (left > 0) {
            delegate.flush(Duration.ofNanos(left));
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** What Sentry took, by kind: {@code issues}, {@code logs}. */
    public Map<String, Long> delivered() {
        DeliveryTotals totals = totals();
        Map<String, Long> delivered = new TreeMap<>();
        putIfAny(delivered, "issues", totals.issuesDelivered());
        putIfAny(delivered, "logs", totals.logsDelivered());
        return delivered;
    }

    /**
     * What was not delivered, by kind and why: lost ones by their reason, and, once closed, envelopes still
     * waiting (a buffer directory keeps them for the agent's next start).
     */
    public Map<String, Long> lost() {
        DeliveryTotals totals = totals();
        Map<String, Long> lost = new TreeMap<>();
        totals.issuesLost().forEach((reason, count) -> putIfAny(lost, "issues (" + why(reason) + ")", count));
        totals.logsLost().forEach((reason, count) -> putIfAny(lost, "logs (" + why(reason) + ")", count));
        putIfAny(lost, "envelopes (not sent by the " + deadline + " deadline, kept on disk)", totals.waiting());
        return lost;
    }

    private String why(String reason) {
        return reason.equals("shutdown") ? "left at the " + deadline + " deadline" : reason.replace('_', ' ');
    }

    private static void putIfAny(Map<String, Long> counts, String key, long count) {
        if (count > 0) {
            counts.merge(key, count, Long::sum);
        }
    }
}
