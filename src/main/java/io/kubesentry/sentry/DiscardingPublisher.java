package io.kubesentry.sentry;

import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import java.time.Duration;

/** Sends nothing: replay's explain mode and text output, which print what the routes decided instead. */
public final class DiscardingPublisher implements SentryPublisher {

    @Override
    public void publish(IssueReport issue) {
    }

    @Override
    public void publish(LogRecord log) {
    }

    @Override
    public void flush(Duration timeout) {
    }

    @Override
    public void close() {
    }
}
