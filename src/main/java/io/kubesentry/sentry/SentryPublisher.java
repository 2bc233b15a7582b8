package io.kubesentry.sentry;

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

    /** Told of what Sentry took: for a replay's account of what was delivered. */
    default void onDelivered(DeliveryListener listener) {
    }

    /** Data Sentry took: which kind (error, log_item, ...), how many. */
    @FunctionalInterface
    interface DeliveryListener {
        void delivered(String category, long quantity);
    }

    /** Data dropped: why, which kind (error, log_item, ...), how many. */
    @FunctionalInterface
    interface DropListener {
        void dropped(String reason, String category, long quantity);
    }

    /** Sends what is buffered, waiting at most {@code timeout}. */
    void flush(Duration timeout);

    @Override
    void close();
}
