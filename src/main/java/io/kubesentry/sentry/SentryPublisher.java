package io.kubesentry.sentry;

import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import java.time.Duration;

/** Where issues and logs go: the Sentry SDK, or standard output for a dry run. */
public interface SentryPublisher extends AutoCloseable {

    void publish(IssueReport issue);

    void publish(LogRecord log);

    /** Told of data the transport had to drop (outage, rate limit, full queue): never silent. */
    default void onDropped(DropListener listener) {
    }

    /** Told of each failed attempt to send (it is retried): for the send-failure metric. */
    default void onSendFailure(Runnable listener) {
    }

    /** Told each time a client kept for an annotated DSN is forgotten (closed) to stay within the bound. */
    default void onForgotten(Runnable listener) {
    }

    /** Data dropped: why, which kind (error, log_item, ...), how many. */
    @FunctionalInterface
    interface DropListener {
        void dropped(String reason, String category, long quantity);
    }

    /** What reached Sentry and what was lost since start, by kind and reason; none for a dry run. */
    default DeliveryTotals totals() {
        return DeliveryTotals.NONE;
    }

    /** Sends what is buffered, waiting at most {@code timeout}. */
    void flush(Duration timeout);

    @Override
    void close();
}
