package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Route files in KUBE_SENTRY_ROUTES_DIR are reloaded while the agent runs")
class LiveRouteReloadTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final String LOGS_ENABLED = "simple: \"{{kube-sentry.logs.enabled:true}}\"";

    @TempDir
    Path routes;
    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        for (Path file : Files.newDirectoryStream(RunningAgent.SHIPPED_ROUTES, "*.camel.yaml")) {
            Files.copy(file, routes.resolve(file.getFileName()));
        }
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q");
        cluster.deployment("shop", "web", "node-1", "web-5c7f9d8b4-k2x9p");
        cluster.deployment("shop", "db", "node-1", "db-6b8d9c7f5-p4r7t");
        agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_ROUTES_DIR", routes.toString(),
                "KUBE_SENTRY_ROUTES_RELOAD_INTERVAL", "200ms"));
        evict("api-7d9f8b6c5-x2k4q");
        awaitIssues(1);
        awaitLogs(1);
    }

    @AfterEach
    void stop() {
        agent.close();
        sentry.close();
        cluster.close();
    }

    @Test
    @DisplayName("an edited route file changes behaviour without a restart")
    void editTakesEffect() throws Exception {
        // Given
        Running before = running("send-sentry-logs");

        // When: ops stop sending Evicted occurrences to Sentry Logs
        Path flow = routes.resolve("report-occurrences.camel.yaml");
        String edited = Files.readString(flow).replace(LOGS_ENABLED,
                "simple: \"${body.reason} != 'Evicted'\"");
        assertThat(edited).isNotEqualTo(Files.readString(flow));
        Files.writeString(flow, edited);
        await().atMost(ARRIVAL).until(() -> reloads("applied") == 1);
        assertThat(context().getRoute("send-sentry-logs")).as("the edited route, replaced")
                .isNotSameAs(before.route());
        evict("web-5c7f9d8b4-k2x9p");

        // Then: the issue still comes, its log no longer does
        awaitIssues(2);
        agent.flush();
        assertThat(sentry.logs()).hasSize(1);
    }

    @Test
    @DisplayName("a broken route file is rejected, and the running routes go on without a restart")
    void brokenFileRejected() throws Exception {
        // Given
        Running before = running("raise-sentry-issues");

        // When
        Files.writeString(routes.resolve("report-occurrences.camel.yaml"), "- route:\n    from: [ this is not\n");
        await().atMost(ARRIVAL).until(() -> reloads("rejected") == 1);
        evict("db-6b8d9c7f5-p4r7t");

        // Then
        awaitIssues(2);
        awaitLogs(2);
        assertNotRestarted(before);
    }

    @Test
    @DisplayName("route files that would drop a watch are rejected: the watch goes on, nothing restarts")
    void droppingAWatchRejected() throws Exception {
        // Given
        Running before = running("watch-kubernetes-events");

        // When: the events route file is emptied
        Files.writeString(routes.resolve("watch-kubernetes-events.camel.yaml"), "[]\n");
        await().atMost(ARRIVAL).until(() -> reloads("rejected") == 1);
        evict("db-6b8d9c7f5-p4r7t");

        // Then
        awaitIssues(2);
        assertNotRestarted(before);
        assertThat(reloads("applied")).isZero();
    }

    private double reloads(String result) {
        var meters = context().getRegistry()
                .lookupByNameAndType("meterRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        var counter = meters.find("kube.sentry.routes.reloads").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private void evict(String pod) {
        cluster.create(cluster.podEvent("shop", pod, "Evicted", "The node was low on resource: memory.", 1,
                Instant.now()).build());
    }

    /** A route as it runs at {@code nanoTime}: restarted from then on, its uptime would be less than the time since. */
    private record Running(String routeId, Route route, long uptimeMillis, long nanoTime) {
    }

    private Running running(String routeId) {
        Route route = context().getRoute(routeId);
        assertThat(route).as(routeId).isNotNull();
        long uptime = route.getUptimeMillis();
        return new Running(routeId, route, uptime, System.nanoTime());
    }

    /** The same route, started before {@code before} was taken: its uptime grew by all the time since. */
    private void assertNotRestarted(Running before) {
        long elapsed = Duration.ofNanos(System.nanoTime() - before.nanoTime()).toMillis();
        Route route = context().getRoute(before.routeId());
        assertThat(route).as("%s, not a new route", before.routeId()).isSameAs(before.route());
        // both uptimes are whole milliseconds: 2 ms for their rounding
        assertThat(route.getUptimeMillis()).as("%s's uptime, %d ms after it was %d ms", before.routeId(), elapsed,
                before.uptimeMillis()).isGreaterThanOrEqualTo(before.uptimeMillis() + elapsed - 2);
    }

    private CamelContext context() {
        return agent.application().main().getCamelContext();
    }

    private void awaitIssues(int count) {
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() >= count);
        assertThat(sentry.issues()).hasSize(count);
    }

    private void awaitLogs(int count) {
        await().atMost(ARRIVAL).until(() -> {
            agent.flush();
            return sentry.logs().size() >= count;
        });
        assertThat(sentry.logs()).hasSize(count);
    }
}
