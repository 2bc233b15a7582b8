package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("When Sentry is down or rate-limits, issues wait and arrive once it takes data again")
class SentryOutageTest {

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
        cluster.deployment("shop", "web", "node-1", "web-5c7f9d8b4-k2x9p");
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        sentry.close();
        cluster.close();
    }

    @Test
    @DisplayName("a slow Sentry never holds up the watch: issues are captured at once and arrive later")
    void slowSentry() {
        // Given: each answer takes three seconds
        agent = RunningAgent.start(cluster, sentry, Map.of());
        sentry.slowNext(10, Duration.ofSeconds(3));
        var meters = agent.application().main().getCamelContext().getRegistry()
                .findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);

        // When
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "web-5c7f9d8b4-k2x9p", "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient cpu.", 1, Instant.now()).build());

        // Then: both handed over well before Sentry answered the first
        await().atMost(Duration.ofSeconds(2)).until(() ->
                meters.counter("kube.sentry.issues.sent").count() == 2.0);
        assertThat(sentry.issues()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> sentry.issues().size() == 2);
    }

    @Test
    @DisplayName("with KUBE_SENTRY_BUFFER_DIR, what Sentry did not take before a restart is sent after it")
    void keptOnDiskAcrossRestart(@TempDir Path buffer) {
        // Given: Sentry is down, and the agent stops before it comes back
        Map<String, String> env = Map.of("KUBE_SENTRY_BUFFER_DIR", buffer.toString());
        sentry.failNext(Integer.MAX_VALUE, 503, null);
        agent = RunningAgent.start(cluster, sentry, env);
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> sentry.refused() >= 1);
        agent.close();
        agent = null;
        assertThat(sentry.issues()).isEmpty();

        // When: Sentry is back, and so is the agent
        sentry.failNext(0, 503, null);
        agent = RunningAgent.start(cluster, sentry, env);

        // Then
        await().atMost(Duration.ofSeconds(20)).until(() -> sentry.issues().size() == 1);
        assertThat(sentry.issues().get(0).path("tags").path("k8s.reason").asText()).isEqualTo("Evicted");
    }

    @ParameterizedTest(name = "HTTP {0}, Retry-After {1}")
    @CsvSource(value = {"503,", "502,", "429,1", "500,"})
    @DisplayName("retried until Sentry answers")
    void retried(int status, String retryAfter) {
        // Given: Sentry fails the next two envelopes
        agent = RunningAgent.start(cluster, sentry, Map.of());
        sentry.failNext(2, status, retryAfter);

        // When: two incidents happen during the outage
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "web-5c7f9d8b4-k2x9p", "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient cpu.", 1, Instant.now()).build());

        // Then: both arrive, in order, and the refused attempts were real
        await().atMost(Duration.ofSeconds(20)).until(() -> sentry.issues().size() == 2);
        assertThat(sentry.refused()).isEqualTo(2);
        var meters = agent.application().main().getCamelContext().getRegistry()
                .findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.counter("kube.sentry.sentry.send.failures").count()).isEqualTo(2.0);
        assertThat(sentry.issues()).extracting(issue -> issue.path("tags").path("k8s.reason").asText())
                .containsExactly("Evicted", "FailedScheduling");
        agent.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> sentry.logs().size() == 2);
    }
}
