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

@DisplayName("Two replicas with leader election on a Lease")
class LeaderElectionIT {

    @Test
    @DisplayName("only the leader reports; when it dies the other takes over within the lease time, without re-alerting")
    void oneActiveReplica(@TempDir Path dir) throws Exception {
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder()) {
            // Given
            cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
            cluster.deployment("shop", "web", "node-1", "web-5c7f9d8b4-k2x9p");
            // the replicas' own pods: the cluster service only lets pods of its namespace lead
            for (String replica : new String[] {"first", "second"}) {
                cluster.client().pods().inNamespace("kube-sentry-events").resource(
                        new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(replica)
                                .withNamespace("kube-sentry-events")
                                .addToLabels("app.kubernetes.io/name", "kube-sentry-events").endMetadata()
                                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                                .withStatus("True").endCondition().endStatus().build()).create();
            }
            String url = cluster.client().getMasterUrl().toString();
            Map<String, String> env = Map.of("SENTRY_DSN", sentry.dsn(), "KUBE_SENTRY_LEADER_ELECTION", "true",
                    "POD_NAMESPACE", "kube-sentry-events", "KUBE_SENTRY_LEASE_DURATION", "4s");
            AgentJar first = AgentJar.start(dir, "first", url, with(env, "POD_NAME", "first"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> first.stderr().contains("Watching events"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                first.close();
                throw new AssertionError("the first replica never watched:\n" + first.stderr(), e);
            }
            AgentJar second = AgentJar.start(dir, "second", url, with(env, "POD_NAME", "second"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> second.stderr().contains("started in"));

                // When
                cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                        "The node was low on resource: memory.", 1, Instant.now()).build());

                // Then: one issue, from one replica
                await().atMost(Duration.ofSeconds(20)).until(() -> sentry.issues().size() == 1);
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(sentry.issues()).hasSize(1);
                assertThat(second.stderr()).doesNotContain("Watching events");

                // When: the leader dies, and Kubernetes sees its pod go (not ready, then deleted)
                first.kill();
                cluster.client().pods().inNamespace("kube-sentry-events").withName("first").delete();
                await().atMost(Duration.ofSeconds(30)).until(() -> second.stderr().contains("Watching events"));
                cluster.create(cluster.podEvent("shop", "web-5c7f9d8b4-k2x9p", "FailedMount",
                        "MountVolume.SetUp failed for volume \"data\" : secret \"web-tls\" not found", 1,
                        Instant.now()).build());

                // Then: the new event is reported, the old one is not again
                await().atMost(Duration.ofSeconds(20)).until(() -> sentry.issues().size() >= 2);
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(sentry.issues()).extracting(issue -> issue.path("tags").path("k8s.reason").asText())
                        .containsExactly("Evicted", "FailedMount");
            } finally {
                first.close();
                second.close();
            }
        }
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        var copy = new java.util.HashMap<>(env);
        copy.put(key, value);
        return copy;
    }
}
