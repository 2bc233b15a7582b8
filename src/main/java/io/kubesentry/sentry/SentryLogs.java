package io.kubesentry.sentry;

import io.kubesentry.report.LogFactory;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.core.Occurrence;

/** The log step of the routes: every reported occurrence becomes a Sentry log. */
public final class SentryLogs {

    private final LogFactory factory;
    private final SentryPublisher publisher;
    private final AgentMetrics metrics;

    public SentryLogs(LogFactory factory, SentryPublisher publisher, AgentMetrics metrics) {
        this.factory = factory;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public void send(Occurrence occurrence) {
        publisher.publish(factory.create(occurrence));
        metrics.logSent();
    }
}
