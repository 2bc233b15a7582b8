package io.kubesentry.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.classify.Severity;
import io.kubesentry.core.Destination;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import io.kubesentry.sentry.SdkSentryPublisher;
import io.kubesentry.sentry.SentryBuffer;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A replay's account of Sentry delivery: the clients' delivery totals, the real SDK posting to a recording Sentry")
class SentryAccountTest {

    @Test
    @DisplayName("a queue of two: the replay waits for room instead of dropping, and every issue and log counts as delivered")
    void waitsForRoomAllDelivered() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: a replay's client holding two envelopes, and a slow Sentry
            sentry.slowNext(3, Duration.ofMillis(300));
            SentryAccount account = new SentryAccount(client(sentry));

            // When
            for (int i = 0; i < 6; i++) {
                account.publish(issue("issue " + i));
            }
            account.publish(new LogRecord(Severity.WARNING, "a log", Map.of(), Destination.project("default")));
            account.deliver(Duration.ofSeconds(20));
            account.close();

            // Then
            assertThat(sentry.issues()).hasSize(6);
            assertThat(account.delivered()).isEqualTo(Map.of("issues", 6L, "logs", 1L));
            assertThat(account.lost()).isEmpty();
            assertThat(account.totals().incomplete()).isFalse();
        }
    }

    @Test
    @DisplayName("Sentry down until the deadline: the issue counts as left at the deadline, the logs Sentry took as delivered")
    void leftAtTheDeadline() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry refuses issues, takes logs
            sentry.limit("event", 503, Map.of());
            SentryAccount account = new SentryAccount(client(sentry));

            // When
            account.publish(issue("never taken"));
            account.publish(new LogRecord(Severity.WARNING, "a log", Map.of(), Destination.project("default")));
            account.deliver(Duration.ofSeconds(2));
            account.close();

            // Then
            assertThat(account.delivered()).isEqualTo(Map.of("logs", 1L));
            assertThat(account.lost()).isEqualTo(Map.of("issues (left at the 2s deadline)", 1L));
            assertThat(account.totals().issuesLost()).isEqualTo(Map.of("shutdown", 1L));
            assertThat(account.totals().incomplete()).as("replay exits with NOT_DELIVERED").isTrue();
        }
    }

    @Test
    @DisplayName("the account hands the forgotten-client listener to the publisher it wraps: replay counts them too")
    void forgottenListenerPassedOn() {
        // Given: a publisher that forgets a client as soon as it is told whom to tell
        AtomicInteger forgotten = new AtomicInteger();
        SentryAccount account = new SentryAccount(new SentryPublisher() {
            @Override
            public void publish(IssueReport issue) {
            }

            @Override
            public void publish(LogRecord log) {
            }

            @Override
            public void onForgotten(Runnable listener) {
                listener.run();
            }

            @Override
            public void flush(Duration timeout) {
            }

            @Override
            public void close() {
            }
        });

        // When
        account.onForgotten(forgotten::incrementAndGet);

        // Then
        assertThat(forgotten.get()).isEqualTo(1);
    }

    private static SdkSentryPublisher client(SentryRecorder sentry) {
        return new SdkSentryPublisher(SentryDsn.parse("SENTRY_DSN", sentry.dsn()), "test", "r",
                new SentryBuffer(2, Optional.empty()).waiting());
    }

    private static IssueReport issue(String message) {
        return new IssueReport(Severity.ERROR, message, List.of(message), Map.of(), Map.of(), Map.of(), List.of(),
                Destination.project("default"));
    }
}
