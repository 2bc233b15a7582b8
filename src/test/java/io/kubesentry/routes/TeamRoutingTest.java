package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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

@DisplayName("One agent, several teams: each workload's failures reach its team's Sentry project")
class TeamRoutingTest {

    private MockCluster cluster;
    private SentryRecorder fallback;
    private SentryRecorder teamA;
    private SentryRecorder teamB;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        fallback = new SentryRecorder();
        teamA = new SentryRecorder();
        teamB = new SentryRecorder();
        namespace("payments", Map.of("kube-sentry-events/project", "team-b"));
        namespace("billing-eu", Map.of());
        deployment("shop", "checkout", Map.of(), Map.of("kube-sentry-events/project", "team-a"));
        deployment("payments", "ledger", Map.of(), Map.of());
        deployment("billing-eu", "invoices", Map.of(), Map.of());
        deployment("shop", "search", Map.of("team", "search"), Map.of());
        deployment("shop", "web", Map.of("team", "storefront"), Map.of());
        deployment("shop", "legacy", Map.of(), Map.of("kube-sentry-events/ignore", "true"));
        deployment("shop", "flaky", Map.of(), Map.of("kube-sentry-events/thresholds", "Unhealthy:2"));
        deployment("shop", "direct", Map.of(), Map.of("kube-sentry-events/dsn", teamB.dsn()));
        agent = RunningAgent.start(cluster, fallback, Map.of(
                "KUBE_SENTRY_PROJECTS", "team-a,team-b",
                "SENTRY_DSN_TEAM_A", teamA.dsn(),
                "SENTRY_DSN_TEAM_B", teamB.dsn(),
                "KUBE_SENTRY_ROUTING", "namespace:billing-* -> team-b; selector:team=search -> team-a",
                "KUBE_SENTRY_CLUSTER", "prod-eu",
                "KUBE_SENTRY_TAGS", "region=eu",
                "KUBE_SENTRY_LABEL_TAGS", "team"));
    }

    @AfterEach
    void stop() {
        agent.close();
        List.of(fallback, teamA, teamB).forEach(SentryRecorder::close);
        cluster.close();
    }

    @Test
    @DisplayName("annotations, namespace annotations, the routing table and the default each pick the project")
    void routes() {
        // When
        for (String target : List.of("shop/checkout", "payments/ledger", "billing-eu/invoices", "shop/search",
                "shop/web", "shop/legacy", "shop/direct")) {
            evict(target.split("/")[0], target.split("/")[1]);
        }
        cluster.create(cluster.podEvent("shop", pod("flaky"), "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503", 2, Instant.now()).build());

        // Then
        await().atMost(Duration.ofSeconds(15)).until(() -> fallback.issues().size() == 2
                && teamA.issues().size() == 2 && teamB.issues().size() == 3);
        // whatever else the routes would send has been sent once the markers are in and the publishers flushed
        new Markers(cluster, fallback, "markers").awaitProcessed(Duration.ofSeconds(15));
        agent.flush();
        assertThat(workloads(teamA)).containsExactlyInAnyOrder("checkout", "search");
        assertThat(workloads(teamB)).containsExactlyInAnyOrder("ledger", "invoices", "direct");
        assertThat(workloads(fallback)).containsExactlyInAnyOrder("web", "flaky")
                .as("the ignored workload is nowhere").doesNotContain("legacy");

        JsonNode web = fallback.issues().stream()
                .filter(issue -> issue.path("tags").path("k8s.deployment").asText().equals("web")).findFirst()
                .orElseThrow();
        assertThat(web.path("tags").path("k8s.cluster").asText()).isEqualTo("prod-eu");
        assertThat(web.path("tags").path("region").asText()).isEqualTo("eu");
        assertThat(web.path("tags").path("k8s.label.team").asText()).isEqualTo("storefront");
        assertThat(web.path("fingerprint").toString()).isEqualTo("[\"shop\",\"Deployment/web\",\"Evicted\"]");

        agent.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> teamA.logs().size() == 2);
        assertThat(teamA.logs()).allSatisfy(log ->
                assertThat(SentryRecorder.attribute(log, "k8s.cluster")).isEqualTo("prod-eu"));
    }

    private void evict(String namespace, String deployment) {
        cluster.create(cluster.podEvent(namespace, pod(deployment), "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
    }

    private static String pod(String deployment) {
        return deployment + "-7d9f8b6c5-x2k4q";
    }

    private void namespace(String name, Map<String, String> annotations) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withAnnotations(annotations).endMetadata().build()).create();
    }

    private void deployment(String namespace, String name, Map<String, String> labels,
            Map<String, String> annotations) {
        cluster.deployment(namespace, name, "node-1", pod(name));
        cluster.client().apps().deployments().inNamespace(namespace).withName(name).edit(d -> {
            d.getMetadata().setLabels(labels);
            d.getMetadata().setAnnotations(annotations);
            return d;
        });
    }

    private static List<String> workloads(SentryRecorder recorder) {
        return recorder.issues().stream().map(issue -> issue.path("tags").path("k8s.deployment").asText())
                .filter(deployment -> !deployment.startsWith("marker-")).toList();
    }
}
