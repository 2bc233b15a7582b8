package io.kubesentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.MockCluster;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The packaged jar, pointed at an API server by a kubeconfig and at Sentry by a DSN")
class WatchingJarIT {

    @Test
    @DisplayName("watches the cluster and sends a Sentry issue and log for a critical event")
    void watchesAndSends(@TempDir Path dir) throws Exception {
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder()) {
            // Given
            cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: %s
                    users:
                    - name: test
                      user:
                        token: test-token
                    contexts:
                    - name: mock
                      context:
                        cluster: mock
                        user: test
                    current-context: mock
                    """.formatted(cluster.client().getMasterUrl().toString()));
            Path stderr = dir.resolve("stderr.log");
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", "target/kube-sentry-events.jar")
                    .redirectError(stderr.toFile())
                    .redirectOutput(dir.resolve("stdout.log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("KUBE") || name.startsWith("SENTRY"));
            env.put("KUBECONFIG", kubeconfig.toString());
            env.put("SENTRY_DSN", sentry.dsn());
            env.put("SENTRY_ENVIRONMENT", "it");
            env.put("HOME", dir.toString());
            Process process = builder.start();
            try {
                // When
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(stderr).contains("started in"));
                cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling",
                        "0/3 nodes are available: 3 Insufficient memory.", 1, Instant.now()).build());

                // Then
                await().atMost(Duration.ofSeconds(30)).until(() -> sentry.issues().size() == 1);
                assertThat(sentry.issues().get(0).path("tags").path("k8s.deployment").asText()).isEqualTo("api");
                assertThat(sentry.issues().get(0).path("environment").asText()).isEqualTo("it");
                await().atMost(Duration.ofSeconds(30)).until(() -> sentry.logs().size() == 1);
                assertThat(Files.readString(stderr)).doesNotContain("publickey");
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            assertThat(process.exitValue()).as("exit on SIGTERM").isIn(0, 143);
        }
    }

}
