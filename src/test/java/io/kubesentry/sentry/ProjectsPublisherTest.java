package io.kubesentry.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.classify.Severity;
import io.kubesentry.core.Destination;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.report.IssueReport;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The publisher of every Sentry project, with the real SDK posting to a recording Sentry")
class ProjectsPublisherTest {

    @Test
    @DisplayName("annotated DSNs get at most their bound of clients: the least recently used is closed, its issue"
            + " still delivered, and counted as forgotten; the totals keep what it delivered")
    void annotatedClientsBounded() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: room for two annotated DSNs
            AtomicInteger forgotten = new AtomicInteger();
            SentryPublisher fallback = new SdkSentryPublisher(SentryDsn.parse("SENTRY_DSN", sentry.dsn()), "test", "r");
            ProjectsPublisher publisher = new ProjectsPublisher(fallback, Map.of(),
                    dsn -> new SdkSentryPublisher(dsn, "test", "r"), 2);
            publisher.onForgotten(forgotten::incrementAndGet);

            // When: three workloads name three DSNs (projects 11, 12, 13)
            for (int project = 11; project <= 13; project++) {
                publisher.publish(issue("to " + project, Destination.dsn(SentryDsn.parse("dsn",
                        sentry.dsn().replaceAll("/1$", "/" + project)))));
            }

            // Then
            assertThat(publisher.annotatedClients()).isEqualTo(2);
            assertThat(forgotten.get()).isEqualTo(1);
            publisher.flush(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 3);
            assertThat(sentry.paths()).contains("/api/11/envelope/", "/api/12/envelope/", "/api/13/envelope/");
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.totals().issuesDelivered() == 3);
            publisher.close();
        }
    }

    private static IssueReport issue(String message, Destination destination) {
        return new IssueReport(Severity.ERROR, message, List.of(message), Map.of(), Map.of(), Map.of(), List.of(),
                destination);
    }
}
