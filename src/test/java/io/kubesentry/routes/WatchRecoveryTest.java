package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The watches recover from what real API servers do")
class WatchRecoveryTest {

    private static final String EVENTS_WATCH =
            "/apis/events.k8s.io/v1/events?allowWatchBookmarks=true&resourceVersion=%s&watch=true";

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
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
    @DisplayName("a watch answered with 410 Gone lists again and keeps watching, without re-alerting")
    void goneRelists() {
        // Given: an incident reported before the watch is lost
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
        String listedVersion = cluster.client().events().v1().events().inAnyNamespace().list().getMetadata()
                .getResourceVersion();
        cluster.server().expect().get().withPath(EVENTS_WATCH.formatted(listedVersion))
                .andReturn(410, new StatusBuilder().withStatus("Failure").withCode(410).withReason("Expired")
                        .withMessage("too old resource version: 1 (2)").build())
                .once();

        // When
        agent = RunningAgent.start(cluster, sentry, Map.of());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());

        // Then: the event arrives through the second watch, once
        await().atMost(Duration.ofSeconds(15)).until(() -> sentry.issues().size() == 1);
        WatchStatus status = agent.application().main().getCamelContext().getRegistry()
                .lookupByNameAndType("watchStatus", WatchStatus.class);
        assertThat(status.restarts("events")).isGreaterThanOrEqualTo(1);
        assertThat(status.states().get("events").up()).isTrue();
        agent.flush();
        assertThat(sentry.logs()).hasSize(1);
    }

    @Test
    @DisplayName("after the API server restarts, new events are reported and old ones are not repeated")
    void apiServerRestart() throws Exception {
        // Given
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
        agent = RunningAgent.start(cluster, sentry, Map.of());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 1);

        // When: the control plane restarts (and comes back with the same stored event, as etcd keeps it)
        cluster.restart(Duration.ofSeconds(1));
        cluster.deployment("shop", "web", "node-1", "web-5c7f9d8b4-k2x9p");
        cluster.create(cluster.podEvent("shop", "web-5c7f9d8b4-k2x9p", "FailedMount",
                "MountVolume.SetUp failed for volume \"data\" : secret \"web-tls\" not found", 1, Instant.now()).build());

        // Then
        await().atMost(Duration.ofSeconds(45)).until(() -> sentry.issues().size() == 2);
        assertThat(sentry.issues().get(1).path("tags").path("k8s.reason").asText()).isEqualTo("FailedMount");
    }
}
