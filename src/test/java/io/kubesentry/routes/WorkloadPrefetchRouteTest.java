package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubesentry.support.ApiRequestCounter;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The shipped routes' prefetch-workload step on the Pod watch")
class WorkloadPrefetchRouteTest {

    private static final String POD = "api-7d9f8b6c5-x2k4q";

    @Test
    @DisplayName("an Event about a pod the Pod watch has seen is reported with its Deployment and node, without an API call")
    void eventsWatchMakesNoLookups() throws Exception {
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                ApiRequestCounter api = new ApiRequestCounter(cluster.server())) {
            // Given: the pod exists before the agent starts; the Pod watch's first list reaches it and its owners
            cluster.deployment("shop", "api", "node-1", POD);
            try (RunningAgent agent = RunningAgent.start(cluster, sentry, Map.of())) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> api.snapshot().getOrDefault("GET namespaces/{name}", 0L) >= 1);
                api.settle();
                Map<String, Long> before = api.snapshot();

                // When
                cluster.create(cluster.podEvent("shop", POD, "Evicted", "The node was low on resource: memory.", 1,
                        Instant.now()).build());
                await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 1);
                api.settle();

                // Then: no owner or metadata read on the Events watch, and the issue names both
                assertThat(ApiRequestCounter.difference(api.snapshot(), before)).doesNotContainKeys(
                        "GET pods/{name}", "GET replicasets/{name}", "GET deployments/{name}", "GET namespaces/{name}");
                JsonNode tags = sentry.issues().get(0).path("tags");
                assertThat(tags.path("k8s.deployment").asText()).isEqualTo("api");
                assertThat(tags.path("k8s.node").asText()).isEqualTo("node-1");
            }
        }
    }
}
