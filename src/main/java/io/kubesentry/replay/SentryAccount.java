package io.kubesentry.replay;

import io.kubesentry.sentry.IssueReport;
import io.kubesentry.sentry.LogRecord;
import io.kubesentry.sentry.SentryPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A replay's publisher: passes everything on, counts what Sentry took and what was lost by reason, and once the
 * deadline has begun lets no flush (Camel's at stop included) wait past it.
 */
public final class SentryAccount implements SentryPublisher {

    private final SentryPublisher delegate;
    private final Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lost = new ConcurrentHashMap<>();
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile String deadline = "";

    public SentryAccount(SentryPublisher delegate) {
        this.delegate = delegate;
        delegate.onDelivered((category, quantity) ->
                delivered.computeIfAbsent(plural(category), k -> new AtomicLong()).addAndGet(quantity));
        delegate.onDropped(this::lost);
    }

    private void lost(String reason, String category, long quantity) {
        String why = reason.equals("shutdown") ? "left at the " + deadline + " deadline" : reason.replace('_', ' ');
        lost.computeIfAbsent(plural(category) + " (" + why + ")", k -> new AtomicLong()).addAndGet(quantity);
    }

    /** Sends what waits, retrying until {@code timeout} from now; what is left then is lost when closed. */
    public void deliver(Duration timeout) {
        deadline = timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
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
        delegate.onDropped((reason, category, quantity) -> {
            lost(reason, category, quantity);
            listener.dropped(reason, category, quantity);
        });
    }

    @Override
    public void onSendFailure(Runnable listener) {
        delegate.onSendFailure(listener);
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

    public Map<String, Long> delivered() {
        return snapshot(delivered);
    }

    public Map<String, Long> lost() {
        return snapshot(lost);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    /** Sentry's categories as a reader counts them. */
    private static String plural(String category) {
        return switch (category) {
            case "event", "error" -> "issues";
            case "log", "log_item" -> "logs";
            default -> category;
        };
    }
}
