package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCluster.class)
@DisplayName("The kubelet's part, written as the kubelet writes it, about pods the real controllers made")
class KubeletSignalsIT {

    @Test
    @DisplayName("an OOMKilled crash loop in the Pod status, then the BackOff Event repeating on one object: one OOMKilled issue; an image that cannot be pulled: an issue at the third failed pull")
    void containerStatesAndRepeatingEvents(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        cluster.node("small-node-a");
        cluster.node("small-node-b");
        AgentIdentity identity = AgentIdentity.fromChart(plane, dir, "kse-kubelet", "kse-kubelet", Map.of());
        String ns = cluster.namespace("kubelet");
        cluster.deployment(ns, "worker", 1, "256Mi");
        cluster.deployment(ns, "puller", 1, "128Mi");
        Pod worker = cluster.scheduled(ns, cluster.pods(ns, "worker", 1).get(0).getMetadata().getName());
        Pod puller = cluster.scheduled(ns, cluster.pods(ns, "puller", 1).get(0).getMetadata().getName());
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"), identity.kubeconfig(), sentry, endpoints,
                        Map.of("KUBE_SENTRY_NAMESPACES", ns))) {
            Agents.awaitReady(agent, endpoints);

            // When: the container is killed for memory and restarted; then its back-off repeats (one Event object)
            cluster.containerStatus(worker, Workloads.crashLooping("registry.example/worker:1.0", 1, "OOMKilled", 137));
            JsonNode oom = Agents.awaitWorkloadIssue(agent, sentry, ns, "worker", "OOMKilled");
            Event backOff = cluster.kubeletEvent(worker, "Warning", "BackOff",
                    "Back-off restarting failed container app in pod " + worker.getMetadata().getName() + "_" + ns
                            + "(" + worker.getMetadata().getUid() + ")");
            awaitReceived(endpoints, () -> cluster.repeat(backOff));
            awaitReceived(endpoints, () -> cluster.repeat(backOff));

            // Then
            assertThat(oom.path("fingerprint")).extracting(JsonNode::asText).containsExactly(ns, "Deployment/worker", "OOMKilled");
            assertThat(oom.path("contexts").path("container").path("restart_count").asInt()).isEqualTo(1);
            assertThat(oom.path("contexts").path("container").path("limits").toString()).contains("256Mi");

            // When: an image pull fails, again and again: the kubelet raises the count of one Event object
            cluster.containerStatus(puller, new ContainerStatusBuilder().withName("app")
                    .withImage("registry.example/puller:1.0").withImageID("").withReady(false).withRestartCount(0)
                    .withNewState().withNewWaiting().withReason("ErrImagePull")
                    .withMessage("failed to pull and unpack image").endWaiting().endState().build());
            Event pull = cluster.kubeletEvent(puller, "Warning", "Failed",
                    "Failed to pull image \"registry.example/puller:1.0\": rpc error: code = NotFound desc = not found");
            cluster.repeat(pull);
            // a marker behind it on the same watch: once its issue is in, the second pull has been through the routes
            cluster.kubeletEvent(ns, "marker-7d9f8b6c5-x2k4q", "Evicted", "The node was low on resource: memory.");
            Agents.awaitWorkloadIssue(agent, sentry, ns, "marker", "Evicted");
            assertThat(Agents.issues(sentry, ns, "ImagePullBackOff")).as("after two failed pulls").isEmpty();
            cluster.repeat(pull);

            // Then
            Agents.awaitWorkloadIssue(agent, sentry, ns, "puller", "ImagePullBackOff");
            agent.close();
            assertThat(Agents.issues(sentry, ns)).filteredOn(issue -> !Agents.workload(issue).equals("marker"))
                    .extracting(issue -> Agents.workload(issue) + "/"
                    + issue.path("fingerprint").path(2).asText())
                    .containsExactly("worker/OOMKilled", "puller/ImagePullBackOff");
        }
    }

    /** Does {@code write} and waits until the agent's Event watch has received it. */
    private static void awaitReceived(AgentEndpoints endpoints, Runnable write) {
        double before = endpoints.counter("kube_sentry_events_received_total", "watch=\"events\"");
        write.run();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> endpoints.counter("kube_sentry_events_received_total", "watch=\"events\"") > before);
    }
}
