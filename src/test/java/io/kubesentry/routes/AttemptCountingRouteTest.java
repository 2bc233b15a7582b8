package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.Markers;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Thresholds count happenings through the shipped routes: failed pulls, probe failures. */
@DisplayName("The shipped routes count attempts toward thresholds, not signals")
class AttemptCountingRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final String POD = "api-7d9f8b6c5-x2k4q";
    // kubernetes/kubernetes#63393
    private static final String IMAGE = "192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT";
    private static final String PULL_FAILED = "Failed to pull image \"" + IMAGE + "\": rpc error: code = Unknown desc"
            + " = Error: image youben/data-transfer:1.0-SNAPSHOT not found";

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;
    private Markers markers;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        markers = new Markers(cluster, sentry, "shop");
        cluster.deployment("shop", "api", "node-1", POD);
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
    @DisplayName("the kubelet's image pull sequence is one attempt; the third failed pull is the one issue")
    void imagePullAttempts() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When: the first failed pull, as the kubelet writes it: two Failed, the waiting states, a Failed
        // "Error: ImagePullBackOff" and a Normal BackOff
        Event pullFailed = cluster.create(cluster.podEvent("shop", POD, "Failed", PULL_FAILED, 1, Instant.now()).build());
        Event errImagePull = cluster.create(cluster.podEvent("shop", POD, "Failed", "Error: ErrImagePull", 1,
                Instant.now()).build());
        waiting("ErrImagePull", "rpc error: code = Unknown desc = Error: image youben/data-transfer:1.0-SNAPSHOT not found");
        Event backOff = cluster.create(cluster.podEvent("shop", POD, "BackOff", "Back-off pulling image \"" + IMAGE
                + "\"", 1, Instant.now()).withType("Normal").build());
        Event pullBackOff = cluster.create(cluster.podEvent("shop", POD, "Failed", "Error: ImagePullBackOff", 1,
                Instant.now()).build());
        waiting("ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\"");
        markers.awaitProcessed(ARRIVAL);
        assertThat(apiIssues()).as("six signals of one failed pull: one attempt of 3").isEmpty();

        // the second failed pull; the back-off signals repeat more often than pulls do
        cluster.repeat(pullFailed, 2, Instant.now());
        cluster.repeat(errImagePull, 2, Instant.now());
        cluster.repeat(backOff, 4, Instant.now());
        cluster.repeat(pullBackOff, 4, Instant.now());
        markers.awaitProcessed(ARRIVAL);
        assertThat(apiIssues()).as("two failed pulls").isEmpty();

        // the third
        cluster.repeat(errImagePull, 3, Instant.now());
        cluster.repeat(pullFailed, 3, Instant.now());

        // Then
        await().atMost(ARRIVAL).until(() -> apiIssues().size() == 1);
        markers.awaitProcessed(ARRIVAL);
        JsonNode issue = apiIssues().get(0);
        assertThat(apiIssues()).hasSize(1);
        assertThat(issue.path("tags").path("k8s.reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(issue.path("tags").path("k8s.image_pull_error").asText()).isEqualTo("not-found");
        assertThat(issue.path("extra").path("event_count").asInt()).isEqualTo(3);
    }

    @Test
    @DisplayName("KUBE_SENTRY_EVENTS=unhealthy and KUBE_SENTRY_THRESHOLDS=unhealthy:2 work as Unhealthy")
    void reasonsAsUsersTypeThem() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_EVENTS", "unhealthy,evicted",
                "KUBE_SENTRY_THRESHOLDS", "unhealthy:2"));
        String probe = "Liveness probe failed: HTTP probe failed with statuscode: 500";

        // When
        Event unhealthy = cluster.create(cluster.podEvent("shop", POD, "Unhealthy", probe, 1, Instant.now()).build());
        markers.awaitProcessed(ARRIVAL);
        assertThat(apiIssues()).as("one probe failure of 2").isEmpty();
        cluster.repeat(unhealthy, 2, Instant.now());

        // Then
        await().atMost(ARRIVAL).until(() -> apiIssues().size() == 1);
        assertThat(apiIssues().get(0).path("tags").path("k8s.reason").asText()).isEqualTo("Unhealthy");
        assertThat(apiIssues().get(0).path("extra").path("event_count").asInt()).isEqualTo(2);
    }

    private void waiting(String reason, String message) {
        Pod pod = cluster.pod("shop", POD);
        pod.setStatus(new PodStatusBuilder().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
                .withName("app").withImage(IMAGE).withRestartCount(0).withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().build()).build());
        cluster.updateStatus(pod);
    }

    private List<JsonNode> apiIssues() {
        return sentry.issues().stream()
                .filter(issue -> issue.path("tags").path("k8s.deployment").asText().equals("api")).toList();
    }
}
