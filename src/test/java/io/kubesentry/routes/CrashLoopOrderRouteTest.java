package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.DedupWindow;
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

/**
 * A crash loop is one incident named by its cause, whichever of its signals (the Pod status, the kubelet's
 * BackOff Event) the watches deliver first: through the shipped routes, to the recording Sentry.
 */
@DisplayName("The shipped routes name a crash loop by its cause whatever order its signals arrive in")
class CrashLoopOrderRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final String POD = "api-7d9f8b6c5-x2k4q";
    private static final String BACK_OFF = "Back-off restarting failed container app in pod " + POD + "_shop(7f80)";

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
        Pod pod = cluster.pod("shop", POD);
        pod.getSpec().setContainers(List.of(new ContainerBuilder().withName("app").withImage("shop/api:1.4.2")
                .withNewResources().withLimits(Map.of("memory", new Quantity("256Mi"))).endResources().build()));
        cluster.client().pods().inNamespace("shop").resource(pod).update();
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
    @DisplayName("plain crash loop, Pod status first: one CrashLoopBackOff issue, its container's restart_count in it")
    void statusFirst() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When: the status of the second restart, then the kubelet's BackOff growing to 5
        setStatus(crashLoop(2, "Error", 1, "containerd://c2"));
        Event backOff = cluster.create(cluster.podEvent("shop", POD, "BackOff", BACK_OFF, 1, Instant.now()).build());
        for (int count = 2; count <= 5; count++) {
            cluster.repeat(backOff, count, Instant.now());
        }
        markers.awaitProcessed(ARRIVAL);

        // Then
        JsonNode issue = assertOneApiIssue("CrashLoopBackOff");
        JsonNode container = issue.path("contexts").path("container");
        assertThat(container.path("name").asText()).isEqualTo("app");
        assertThat(container.path("restart_count").isInt()).isTrue();
        assertThat(container.path("restart_count").asInt()).isEqualTo(2);
        assertThat(container.path("last_termination_reason").asText()).isEqualTo("Error");
    }

    @Test
    @DisplayName("plain crash loop, BackOff Event first (count 5): no BackOff issue, one CrashLoopBackOff issue")
    void backOffFirst() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When: the BackOff Event grows to 5 before the Pod status arrives
        Event backOff = cluster.create(cluster.podEvent("shop", POD, "BackOff", BACK_OFF, 1, Instant.now()).build());
        for (int count = 2; count <= 5; count++) {
            cluster.repeat(backOff, count, Instant.now());
        }
        markers.awaitProcessed(ARRIVAL);
        assertThat(apiIssues()).as("a back-off proves one restart; restarts are what count").isEmpty();
        setStatus(crashLoop(3, "Error", 1, "containerd://c3"));
        cluster.repeat(backOff, 6, Instant.now());
        markers.awaitProcessed(ARRIVAL);

        // Then
        JsonNode issue = assertOneApiIssue("CrashLoopBackOff");
        assertThat(issue.path("contexts").path("container").path("restart_count").asInt()).isEqualTo(3);
    }

    @Test
    @DisplayName("plain crash loop after the dedup window: BackOff first again is still no BackOff issue")
    void afterTheWindow() {
        // Given: a 1 s window, so the crash loop's cause is forgotten before its next BackOff
        agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_DEDUP_WINDOW", "1s"));
        setStatus(crashLoop(1, "Error", 1, "containerd://c1"));
        await().atMost(ARRIVAL).until(() -> apiIssues().size() == 1);

        // When: the window passes; the kubelet's BackOff (x10 by now, a new Event object) comes before the status
        DedupWindow.awaitPassedSince(apiIssues().get(0), Duration.ofSeconds(1));
        cluster.create(cluster.podEvent("shop", POD, "BackOff", BACK_OFF, 10, Instant.now()).build());
        markers.awaitProcessed(ARRIVAL);
        setStatus(crashLoop(2, "Error", 1, "containerd://c2"));

        // Then: the recurrence is a second CrashLoopBackOff event of the same issue, never a BackOff
        await().atMost(ARRIVAL).until(() -> apiIssues().size() == 2);
        markers.awaitProcessed(ARRIVAL);
        assertThat(apiIssues()).extracting(issue -> issue.path("tags").path("k8s.reason").asText())
                .containsExactly("CrashLoopBackOff", "CrashLoopBackOff");
        assertThat(apiIssues()).extracting(issue -> issue.path("contexts").path("container").path("restart_count")
                .asInt()).containsExactly(1, 2);
    }

    @Test
    @DisplayName("OOMKilled crash loop, BackOff Event first (count 4): one OOMKilled issue, no BackOff issue")
    void oomBackOffFirst() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When
        Event backOff = cluster.create(cluster.podEvent("shop", POD, "BackOff", BACK_OFF, 1, Instant.now()).build());
        for (int count = 2; count <= 4; count++) {
            cluster.repeat(backOff, count, Instant.now());
        }
        markers.awaitProcessed(ARRIVAL);
        setStatus(crashLoop(1, "OOMKilled", 137, "containerd://k1"));
        cluster.repeat(backOff, 5, Instant.now());
        markers.awaitProcessed(ARRIVAL);

        // Then
        JsonNode issue = assertOneApiIssue("OOMKilled");
        assertThat(issue.path("contexts").path("container").path("restart_count").asInt()).isEqualTo(1);
        assertThat(issue.path("tags").path("k8s.exit_code").asText()).isEqualTo("137");
    }

    @Test
    @DisplayName("OOMKilled crash loop, signals interleaved over two kills: one OOMKilled issue")
    void oomInterleaved() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When: BackOff, kill 1 terminated, BackOff grows, kill 1's crash loop, kill 2, BackOff grows again
        Event backOff = cluster.create(cluster.podEvent("shop", POD, "BackOff", BACK_OFF, 1, Instant.now()).build());
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(0)
                .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withFinishedAt(now()).withContainerID("containerd://k1").endTerminated().endState().build());
        cluster.repeat(backOff, 3, Instant.now());
        setStatus(crashLoop(1, "OOMKilled", 137, "containerd://k1"));
        setStatus(crashLoop(2, "OOMKilled", 137, "containerd://k2"));
        cluster.repeat(backOff, 7, Instant.now());
        markers.awaitProcessed(ARRIVAL);

        // Then
        assertOneApiIssue("OOMKilled");
    }

    private JsonNode assertOneApiIssue(String reason) {
        List<JsonNode> issues = apiIssues();
        assertThat(issues).extracting(issue -> issue.path("tags").path("k8s.reason").asText()).containsExactly(reason);
        JsonNode issue = issues.get(0);
        assertThat(issue.path("fingerprint").toString()).isEqualTo("[\"shop\",\"Deployment/api\",\"" + reason + "\"]");
        return issue;
    }

    private List<JsonNode> apiIssues() {
        return sentry.issues().stream()
                .filter(issue -> issue.path("tags").path("k8s.deployment").asText().equals("api")).toList();
    }

    /** Waiting in CrashLoopBackOff after {@code restarts} restarts, the last termination as given. */
    private static ContainerStatus crashLoop(int restarts, String lastReason, int exitCode, String containerId) {
        return new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 10s restarting failed container=app pod=" + POD + "_shop(7f80)")
                .endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason(lastReason).withExitCode(exitCode)
                .withFinishedAt(now()).withContainerID(containerId).endTerminated().endLastState().build();
    }

    private void setStatus(ContainerStatus status) {
        Pod pod = cluster.pod("shop", POD);
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withContainerStatuses(status)
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(now()).endCondition()
                .build());
        cluster.updateStatus(pod);
    }

    private static String now() {
        return MockCluster.timestamp(Instant.now());
    }
}
