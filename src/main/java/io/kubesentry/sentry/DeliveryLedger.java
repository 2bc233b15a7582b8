package io.kubesentry.sentry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sentry client's delivery accounts: what Sentry took and what was lost, by reason. Every loss is logged
 * with the running totals, at most one line per {@link #LOG_EVERY}: losses within it are summed into the next
 * line (which comes even if no further loss does).
 */
public final class DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sentry-loss-log");
        thread.setDaemon(true);
        return thread;
    });

    private final String destination;
    private final Clock clock;
    private final AtomicLong issuesDelivered = new AtomicLong();
    private final AtomicLong logsDelivered = new AtomicLong();
    private final Map<String, AtomicLong> issuesLost = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> logsLost = new ConcurrentHashMap<>();
    private final AtomicLong issuesLostSinceLine = new AtomicLong();
    private final AtomicLong logsLostSinceLine = new AtomicLong();
    private volatile LongSupplier waiting = () -> 0;
    private Instant lastLine = Instant.EPOCH;
    private boolean lineDue;

    /** @param destination where the data goes, for the log lines (a redacted DSN) */
    public DeliveryLedger(String destination, Clock clock) {
        this.destination = destination;
        this.clock = clock;
    }

    /** How many envelopes wait in the transport. */
    public void waiting(LongSupplier envelopes) {
        this.waiting = envelopes;
    }

    /** Sentry took these. {@code category}: the envelope item type or the SDK's data category. */
    public void delivered(String category, long quantity) {
        switch (kind(category)) {
            case ISSUES -> issuesDelivered.addAndGet(quantity);
            case LOGS -> logsDelivered.addAndGet(quantity);
            default -> { }
        }
    }

    public void lost(String reason, String category, long quantity) {
        switch (kind(category)) {
            case ISSUES -> {
                issuesLost.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(quantity);
                issuesLostSinceLine.addAndGet(quantity);
            }
            case LOGS -> {
                logsLost.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(quantity);
                logsLostSinceLine.addAndGet(quantity);
            }
            default -> {
                return;
            }
        }
        logLoss(reason);
    }

    public DeliveryTotals totals() {
        return new DeliveryTotals(issuesDelivered.get(), logsDelivered.get(), snapshot(issuesLost), snapshot(logsLost),
                waiting.getAsLong());
    }

    private synchronized void logLoss(String reason) {
        Instant now = clock.instant();
        Duration since = Duration.between(lastLine, now);
        if (since.compareTo(LOG_EVERY) >= 0) {
            line(reason);
        } else if (!lineDue) {
            lineDue = true;
            LATER.schedule(() -> dueLine(reason), LOG_EVERY.minus(since).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void dueLine(String reason) {
        lineDue = false;
        if (issuesLostSinceLine.get() > 0 || logsLostSinceLine.get() > 0) {
            line(reason);
        }
    }

    private void line(String reason) {
        lastLine = clock.instant();
        long issues = issuesLostSinceLine.getAndSet(0);
        long logs = logsLostSinceLine.getAndSet(0);
        LOG.warn("Lost {} issues and {} logs for {} (last: {}); in all: {}", issues, logs, destination, reason,
                totals().summary());
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> copy = new java.util.TreeMap<>();
        counts.forEach((reason, count) -> copy.put(reason, count.get()));
        return copy;
    }

    private enum Kind { ISSUES, LOGS, OTHER }

    private static Kind kind(String category) {
        return switch (category) {
            case "log", "log_item" -> Kind.LOGS;
            case "event", "error", "default" -> Kind.ISSUES;
            default -> Kind.OTHER;
        };
    }
}
