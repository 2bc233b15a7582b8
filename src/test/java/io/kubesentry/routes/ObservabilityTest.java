package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Health and metrics on the management port")
class ObservabilityTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @DisplayName("ready once the watches are up, live always, metrics in Prometheus format")
    void healthAndMetrics() throws Exception {
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                RunningAgent agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_HTTP_PORT",
                        String.valueOf(port)))) {
            // Then
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.status("/observe/health/ready") == 200);
            assertThat(endpoints.status("/observe/health/live")).isEqualTo(200);
            assertThat(endpoints.body("/observe/health/ready")).contains("kubernetes-watch");

            // When: an event is reported
            cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
            cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted", "The node was low on resource: memory.",
                    1, Instant.now()).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 1);

            // Then
            String metrics = endpoints.body("/observe/metrics");
            assertThat(metrics).contains("kube_sentry_issues_sent_total", "jvm_memory_used_bytes", "jvm_threads_live_threads");

            // and nothing but GET and HEAD is answered
            for (String method : java.util.List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
                HttpResponse<Void> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/observe/metrics")).method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(refused.statusCode()).as(method).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("readiness flips to not ready when the API server goes away")
    void notReadyWithoutApiServer() throws Exception {
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                RunningAgent agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_HTTP_PORT",
                        String.valueOf(port), "KUBE_SENTRY_READINESS_GRACE", "1s"))) {
            // Given
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.status("/observe/health/ready") == 200);

            // When
            cluster.stopServer();

            // Then: once fabric8 gives up reconnecting and the grace has passed
            await().atMost(Duration.ofSeconds(40)).until(() -> endpoints.status("/observe/health/ready") == 503);
            assertThat(endpoints.status("/observe/health/live")).isEqualTo(200);
            assertThat(endpoints.body("/observe/health/ready")).contains("watch down");
        }
    }
}
