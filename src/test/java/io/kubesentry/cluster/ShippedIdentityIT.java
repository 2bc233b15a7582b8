package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCluster.class)
@DisplayName("The packaged jar on a real control plane, as the identity the chart and manifests ship")
class ShippedIdentityIT {

    @Test
    @DisplayName("with the chart's default RBAC: the scheduler's FailedScheduling of a Deployment's pod is one issue named after the Deployment, and the agent writes nothing")
    void defaultChart(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        cluster.node("small-node-a");
        cluster.node("small-node-b");
        AgentIdentity identity = AgentIdentity.fromChart(plane, dir, "kse-default", "kse-default", Map.of());
        String shop = cluster.namespace("shop");
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"), identity.kubeconfig(), sentry, endpoints,
                        Map.of("KUBE_SENTRY_NAMESPACES", shop))) {
            Agents.awaitReady(agent, endpoints);

            // When: the nodes are full (one 3.5 GiB pod on each 4 GiB node), a Deployment's pod asks for 3 GiB
            int nodes = cluster.client().nodes().list().getItems().size();
            cluster.deployment(shop, "batch", nodes, "3584Mi");
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.pods(shop, "batch", nodes).stream()
                    .allMatch(pod -> pod.getSpec().getNodeName() != null));
            cluster.deployment(shop, "api", 1, "3Gi");

            // Then: the real scheduler writes FailedScheduling (events.k8s.io/v1), the agent names the real owner
            JsonNode issue = Agents.awaitIssue(agent, sentry, shop, "FailedScheduling");
            assertThat(issue.path("fingerprint")).extracting(JsonNode::asText)
                    .containsExactly(shop, "Deployment/api", "FailedScheduling");
            assertThat(issue.path("tags").path("k8s.deployment").asText()).isEqualTo("api");
            assertThat(issue.path("tags").path("k8s.namespace").asText()).isEqualTo(shop);

            // When: a node grows by 1 GiB, twice: big enough for the pod on its own, so the scheduler tries it again;
            // still too full, so it fails again. Its first failure changed the pod (its PodScheduled condition), so the
            // second is a new Event object; the third is the same as the second, and its Event becomes a series.
            double received = endpoints.counter("kube_sentry_events_received_total", "watch=\"events\"");
            cluster.grow("small-node-b");
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client().events().v1().events().inNamespace(shop)
                    .list().getItems().stream().filter(e -> "FailedScheduling".equals(e.getReason())).count() == 2);
            cluster.grow("small-node-b");
            List<Event> series = await().atMost(Duration.ofSeconds(60)).until(
                    () -> cluster.client().events().v1().events().inNamespace(shop).list().getItems().stream()
                            .filter(e -> "FailedScheduling".equals(e.getReason()) && e.getSeries() != null).toList(),
                    found -> !found.isEmpty());
            assertThat(series.get(0).getSeries().getCount()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoints.counter(
                    "kube_sentry_events_received_total", "watch=\"events\"") > received);

            assertThat(endpoints.readiness()).isEqualTo(200);

            // Then: still one issue for the incident, once the agent has flushed everything (SIGTERM)
            agent.close();
            assertThat(Agents.issues(sentry, shop, "FailedScheduling")).hasSize(1);
        } finally {
            cluster.client().namespaces().withName(shop).delete();
        }
        assertThat(AuditLog.writesBy(plane, identity.username())).as("what the agent wrote").isEmpty();
    }

    @Test
    @DisplayName("with one rule of the chart's ClusterRole missing (events.k8s.io), the agent is never ready and says what it may not do")
    void missingPermission(ControlPlane plane, @TempDir Path dir) throws Exception {
        AgentIdentity identity = AgentIdentity.fromChart(plane, dir, "kse-missing", "kse-missing", Map.of());
        String role = "kse-missing-kube-sentry-events";
        Workloads.retryOnConflict(() -> plane.admin().rbac().clusterRoles().withName(role).edit(clusterRole -> {
            clusterRole.getRules().removeIf(rule -> rule.getApiGroups().contains("events.k8s.io"));
            return clusterRole;
        }));
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"), identity.kubeconfig(), sentry, endpoints,
                        Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Agents.stderr(agent).contains("403"));
            assertThat(endpoints.readiness()).isEqualTo(503);
            assertThat(Agents.stderr(agent)).contains("events.events.k8s.io");
        }
    }
}
