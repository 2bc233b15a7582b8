package io.kubesentry.camel;

import io.kubesentry.sentry.SentryPublisher;
import java.time.Duration;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Sends what Sentry has not taken yet when Camel stops (SIGTERM): logs wait up to 5 s in the SDK's batch and
 * the transport may be retrying. It runs inside Camel's shutdown, which the JVM waits for; code after
 * {@code Main.run()} would race the JVM's exit.
 */
final class SentryFlushOnStop extends ServiceSupport {

    static final Duration FLUSH = Duration.ofSeconds(5);

    private final SentryPublisher publisher;

    SentryFlushOnStop(SentryPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    protected void doStop() {
        publisher.flush(FLUSH);
        publisher.close();
    }
}
