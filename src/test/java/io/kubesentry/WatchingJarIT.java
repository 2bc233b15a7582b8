package io.kubesentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.AgentJar;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The packaged jar, pointed at an API server by a kubeconfig and at Sentry by a DSN")
class WatchingJarIT {

    @Test
    @DisplayName("watches the cluster, sends a Sentry issue and log for a critical event, flushes on SIGTERM")
    void watchesAndSends(@TempDir Path dir) throws Exception {
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder()) {
            // Given
            cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
            AgentJar agent = AgentJar.start(dir, "agent", cluster.client().getMasterUrl().toString(),
                    Map.of("SENTRY_DSN", sentry.dsn(), "SENTRY_ENVIRONMENT", "it"));
            try {
                // When
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.stderr().contains("Watching events"));
                cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling",
                        "0/3 nodes are available: 3 Insufficient memory.", 1, Instant.now()).build());

                // Then
                await().atMost(Duration.ofSeconds(30)).until(() -> sentry.issues().size() == 1);
                assertThat(sentry.issues().get(0).path("tags").path("k8s.deployment").asText()).isEqualTo("api");
                assertThat(sentry.issues().get(0).path("environment").asText()).isEqualTo("it");
                assertThat(agent.stderr()).doesNotContain("publickey");
            } finally {
                // SIGTERM right away: the log still sits in the SDK's 5 s batch, the shutdown must flush it
                agent.close();
            }
            assertThat(agent.process().exitValue()).as("exit on SIGTERM").isIn(0, 143);
            assertThat(sentry.logs()).as("logs flushed at shutdown").hasSize(1);
        }
    }
}
