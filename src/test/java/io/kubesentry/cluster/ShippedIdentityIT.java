package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.events.v1.Event;
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
                AgentJar agent = AgentJar.start(dir.resolve("agent"), identity.kubeconfig(), Map.of(
                        "SENTRY_DSN", sentry.dsn(), "KUBE_SENTRY_NAMESPACES", shop,
                        "KUBE_SENTRY_HTTP_PORT", String.valueOf(endpoints.port())))) {
            Agents.awaitReady(agent, endpoints);

            // When: a Deployment whose pod fits no node (4 GiB nodes, 64 GiB asked)
            cluster.deployment(shop, "api", 1, "64Gi");

            // Then: the real scheduler writes FailedScheduling (events.k8s.io/v1), the agent names the real owner
            JsonNode issue = Agents.awaitIssue(agent, sentry, shop, "FailedScheduling");
            assertThat(issue.path("fingerprint")).extracting(JsonNode::asText)
                    .containsExactly(shop, "api", "FailedScheduling");
            assertThat(issue.path("tags").path("k8s.deployment").asText()).isEqualTo("api");
            assertThat(issue.path("tags").path("k8s.namespace").asText()).isEqualTo(shop);

            // When: the scheduler tries again (a node changed), its recorder makes the Event a series of 2
            double received = endpoints.counter("kube_sentry_events_received_total", "watch=\"events\"");
            cluster.client().nodes().withName("small-node-b").edit(node -> {
                node.getMetadata().getLabels().put("retry", String.valueOf(System.nanoTime()));
                return node;
            });
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
        }
        assertThat(AuditLog.writesBy(plane, identity.username())).as("what the agent wrote").isEmpty();
    }
}
