package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
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

@DisplayName("The shipped routes reading container states from Pod status")
class PodStatusRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final String POD = "api-7d9f8b6c5-x2k4q";

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("shop", "api", "node-1", POD);
        Pod pod = cluster.pod("shop", POD);
        pod.getSpec().setContainers(List.of(new ContainerBuilder().withName("app").withImage("shop/api:1.4.2")
                .withNewResources()
                .withRequests(Map.of("memory", new Quantity("128Mi"), "cpu", new Quantity("100m")))
                .withLimits(Map.of("memory", new Quantity("256Mi")))
                .endResources().build()));
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
    @DisplayName("Running → OOMKilled → CrashLoopBackOff is one OOMKilled issue; the container's back-off adds to it")
    void oomKilledCrashLoop() {
        // Given: the container runs
        agent = RunningAgent.start(cluster, sentry, Map.of());
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState().build());

        // When: the kernel kills it for memory, the kubelet restarts it, then backs off
        String finished = now();
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(0)
                .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withStartedAt(now()).withFinishedAt(finished).withContainerID("containerd://aaa111")
                .endTerminated().endState().build());
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 10s restarting failed container=app pod=" + POD + "_shop(7f80)")
                .endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withStartedAt(now()).withFinishedAt(finished).withContainerID("containerd://aaa111")
                .endTerminated().endLastState().build());
        cluster.create(cluster.podEvent("shop", POD, "BackOff", "Back-off restarting failed container app in pod "
                + POD + "_shop(7f80)", 3, Instant.now()).build());
        // markers of both watches: once they have arrived, everything before them has been processed
        new Markers(cluster, sentry, "shop").awaitProcessed(ARRIVAL);

        // Then
        List<JsonNode> issues = sentry.issues().stream()
                .filter(issue -> issue.path("tags").path("k8s.deployment").asText().equals("api")).toList();
        assertThat(issues).hasSize(1);
        JsonNode issue = issues.get(0);
        assertThat(issue.path("tags").path("k8s.reason").asText()).isEqualTo("OOMKilled");
        assertThat(issue.path("tags").path("k8s.container").asText()).isEqualTo("app");
        assertThat(issue.path("tags").path("k8s.exit_code").asText()).isEqualTo("137");
        assertThat(issue.path("tags").path("k8s.last_termination_reason").asText()).isEqualTo("OOMKilled");
        assertThat(issue.path("fingerprint").toString()).isEqualTo("[\"shop\",\"Deployment/api\",\"OOMKilled\"]");
        JsonNode container = issue.path("contexts").path("container");
        assertThat(container.path("limits").path("memory").asText()).isEqualTo("256Mi");
        assertThat(container.path("requests").path("memory").asText()).isEqualTo("128Mi");
        assertThat(container.path("exit_code").asInt()).isEqualTo(137);
        assertThat(container.path("image").asText()).isEqualTo("shop/api:1.4.2");
        assertThat(issue.path("message").path("formatted").asText())
                .contains("OOMKilled (exit code 137) with a memory limit of 256Mi");
        assertThat(issue.path("contexts").has("previous_log")).as("logs are attached only when asked").isFalse();
    }

    @Test
    @DisplayName("With KUBE_SENTRY_ATTACH_LOGS=true an OOMKilled issue carries the previous container's last lines")
    void attachesPreviousLog() {
        // Given
        cluster.server().expect().get()
                .withPath("/api/v1/namespaces/shop/pods/" + POD + "/log?pretty=false&container=app&previous=true&tailLines=20")
                .andReturn(200, "heap at 250Mi\njava.lang.OutOfMemoryError: Java heap space\n").always();
        agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_ATTACH_LOGS", "true",
                "KUBE_SENTRY_ATTACH_LOG_LINES", "20"));

        // When
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:1.4.2").withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withFinishedAt(now()).withContainerID("containerd://bbb222").endTerminated().endLastState()
                .build());

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        JsonNode log = sentry.issues().get(0).path("contexts").path("previous_log");
        assertThat(log.path("container").asText()).isEqualTo("app");
        assertThat(log.path("text").asText()).contains("java.lang.OutOfMemoryError: Java heap space");
    }

    @Test
    @DisplayName("An image pull failure read from the pod is classified as not-found")
    void imagePullNotFound() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of());

        // When
        setStatus(new ContainerStatusBuilder().withName("app").withImage("shop/api:9.9.9").withRestartCount(0)
                .withNewState().withNewWaiting().withReason("ErrImagePull")
                .withMessage("rpc error: code = Unknown desc = failed to pull and unpack image "
                        + "\"docker.io/shop/api:9.9.9\": failed to resolve reference \"docker.io/shop/api:9.9.9\": "
                        + "docker.io/shop/api:9.9.9: not found")
                .endWaiting().endState().build());
        var errImagePull = cluster.create(cluster.podEvent("shop", POD, "Failed", "Error: ErrImagePull", 1,
                Instant.now()).build());
        cluster.create(cluster.podEvent("shop", POD, "Failed", "Error: ImagePullBackOff", 1, Instant.now()).build());
        cluster.repeat(errImagePull, 2, Instant.now());
        cluster.repeat(errImagePull, 3, Instant.now());

        // Then: the third failed pull of one container reaches ImagePullBackOff's threshold of 3: one issue
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        JsonNode issue = sentry.issues().get(0);
        assertThat(issue.path("tags").path("k8s.reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(issue.path("tags").path("k8s.image_pull_error").asText()).isIn("not-found");
        assertThat(issue.path("contexts").path("troubleshooting").path("fix_hint").asText()).contains("tag");
    }

    private void setStatus(ContainerStatus status) {
        Pod pod = cluster.pod("shop", POD);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .withContainerStatuses(status)
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(now()).endCondition()
                .build());
        cluster.updateStatus(pod);
    }

    private static String now() {
        return MockCluster.timestamp(Instant.now());
    }
}
