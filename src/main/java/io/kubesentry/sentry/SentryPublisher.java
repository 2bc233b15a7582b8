package io.kubesentry.sentry;

import java.time.Duration;

/** Where issues and logs go: the Sentry SDK, or standard output for a dry run. */
public interface SentryPublisher extends AutoCloseable {

    void publish(IssueReport issue);

    void publish(LogRecord log);

    /** Sends what is buffered, waiting at most {@code timeout}. */
    void flush(Duration timeout);

    @Override
    void close();
}
