package io.kubesentry.sentry;

import io.kubesentry.event.Occurrence;

/** The log step of the routes: every reported occurrence becomes a Sentry log. */
public final class SentryLogs {

    private final LogFactory factory;
    private final SentryPublisher publisher;

    public SentryLogs(LogFactory factory, SentryPublisher publisher) {
        this.factory = factory;
        this.publisher = publisher;
    }

    public void send(Occurrence occurrence) {
        publisher.publish(factory.create(occurrence));
    }
}
