package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Readiness tells the truth about the watches")
class TruthfulReadinessTest {

    @Test
    @DisplayName("against an API server that refuses connections, never ready, and the error names the server")
    void neverReadyWithoutAnApiServer() throws Exception {
        // Given: nothing listens where the API server should be
        int apiPort = AgentEndpoints.onFreePort().port();
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + apiPort).build();

        // When
        try (SentryRecorder sentry = new SentryRecorder();
                RunningAgent agent = RunningAgent.startUnready(config, sentry, Map.of("KUBE_SENTRY_HTTP_PORT",
                        String.valueOf(port), "KUBE_SENTRY_READINESS_GRACE", "1m"))) {
            WatchStatus status = status(agent);
            await().atMost(Duration.ofSeconds(5)).until(() -> status.states().containsKey("events")
                    && status.states().get("events").lastError().contains("connection refused"));

            // Then: the first failure is within the grace, and still not ready: the watch never was up
            assertThat(status.states().get("events").lastError()).contains("http://127.0.0.1:" + apiPort);
            assertThat(endpoints.status("/observe/health/ready")).isEqualTo(503);
            assertThat(endpoints.body("/observe/health/ready")).contains("connection refused");
        }
    }

    @Test
    @DisplayName("an API server that accepts connections and never answers is named within 5 s; never ready")
    void silentApiServer() throws Exception {
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
                SentryRecorder sentry = new SentryRecorder();
                RunningAgent agent = RunningAgent.startUnready(new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort()).build(), sentry,
                        Map.of("KUBE_SENTRY_HTTP_PORT", String.valueOf(port)))) {
            WatchStatus status = status(agent);
            await().atMost(Duration.ofSeconds(5)).until(() -> status.states().containsKey("events")
                    && status.states().get("events").lastError().contains("has not answered"));
            assertThat(status.states().get("events").lastError()).contains("127.0.0.1:" + silent.getLocalPort());
            assertThat(endpoints.status("/observe/health/ready")).isEqualTo(503);
        }
    }

    @Test
    @DisplayName("a 403 names the verb and the resource the service account lacks, once however often it is"
            + " retried, and the agent is not ready")
    void forbiddenNamesTheRight() throws Exception {
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (logged) {
                    logged.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (logged) {
                    logged.write(bytes, offset, length);
                }
            }
        }, true));
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder()) {
            // Given: the ClusterRole lacks events.k8s.io events
            cluster.server().expect().get().withPath("/apis/events.k8s.io/v1/events?limit=1")
                    .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure")
                            .withCode(403).withReason("Forbidden").withMessage("events.events.k8s.io is forbidden")
                            .build()).always();

            // When
            try (RunningAgent agent = RunningAgent.startUnready(cluster.client().getConfiguration(), sentry,
                    Map.of("KUBE_SENTRY_HTTP_PORT", String.valueOf(port)))) {
                WatchStatus status = status(agent);

                // Then
                await().atMost(Duration.ofSeconds(5)).until(() -> status.states().containsKey("events")
                        && status.states().get("events").lastError().contains("403"));
                assertThat(status.states().get("events").lastError())
                        .contains("forbids 'list' on events.events.k8s.io (403 Forbidden)",
                                cluster.client().getMasterUrl().getHost());
                await().atMost(Duration.ofSeconds(5)).until(() -> status.states().get("pods").up());
                assertThat(endpoints.status("/observe/health/ready")).isEqualTo(503);
                assertThat(endpoints.body("/observe/health/ready")).contains("events", "403 Forbidden");
                await().atMost(Duration.ofSeconds(15)).until(() -> status.restarts("events") >= 3);
                String warnings;
                synchronized (logged) {
                    warnings = logged.toString();
                }
                assertThat(warnings.split("The events watch is down", -1)).as("warnings").hasSize(2);
            }
        } finally {
            System.setErr(original);
        }
    }

    @Test
    @DisplayName("with the API server gone, not ready for good: fabric8's give-up and re-watch never count as up")
    void noFlappingWhileTheApiServerIsGone() throws Exception {
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        int port = endpoints.port();
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                RunningAgent agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_HTTP_PORT",
                        String.valueOf(port), "KUBE_SENTRY_READINESS_GRACE", "1s"))) {
            // Given
            WatchStatus status = status(agent);
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.status("/observe/health/ready") == 200);

            // When
            cluster.stopServer();

            // Then: told within the probe's period, naming the server and the cause
            await().atMost(Duration.ofSeconds(6)).until(() -> !status.states().get("events").up());
            assertThat(status.states().get("events").lastError()).contains("connection refused",
                    cluster.client().getMasterUrl().getHost());
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoints.status("/observe/health/ready") == 503);
            // and fabric8 gives up (about 7 s) and the agent watches again (returned at once): still not ready
            await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250))
                    .until(() -> endpoints.status("/observe/health/ready") == 503
                            && status.states().values().stream().noneMatch(WatchStatus.State::up));
            assertThat(status.restarts("events")).isGreaterThanOrEqualTo(1);
        }
    }

    private static WatchStatus status(RunningAgent agent) {
        return agent.application().main().getCamelContext().getRegistry()
                .lookupByNameAndType("watchStatus", WatchStatus.class);
    }
}
