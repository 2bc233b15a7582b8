package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCluster.class)
@DisplayName("Watch semantics of a real API server: paged lists, 410 Gone after compaction, a restart")
class WatchSemanticsIT {

    private static final String MOUNT = "MountVolume.SetUp failed for volume \"data\" : secret \"data\" not found";

    @Test
    @DisplayName("1,200 Events stored before start are listed page by page and raise nothing; a new one raises its issue")
    void storedEventsListedInPages(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        AgentIdentity identity = AgentIdentity.fromChart(plane, dir, "kse-backlog", "kse-backlog", Map.of());
        String ns = cluster.namespace("backlog");
        // written over the last hour, the last of them in the last second
        IntStream.range(0, 1_200).parallel().forEach(i -> cluster.kubeletEvent(ns, "old-" + i + "-7d9f8b6c5-x2k4q",
                "FailedMount", MOUNT, Duration.ofSeconds(3 * (1_199 - i))));
        // Event times have one-second precision: one written in the second the agent starts in counts as new
        Instant stored = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(stored));
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"), identity.kubeconfig(), sentry, endpoints,
                        Map.of("KUBE_SENTRY_NAMESPACES", ns))) {
            Agents.awaitReady(agent, endpoints);

            // When
            cluster.kubeletEvent(ns, "fresh-5c7f9d8b4-k2x9p", "FailedMount", MOUNT);

            // Then: the new one only, once everything has been flushed
            Agents.awaitIssue(agent, sentry, ns, "FailedMount");
            agent.close();
            assertThat(Agents.issues(sentry, ns)).extracting(Agents::workload)
                    .containsExactly("fresh");
        }
        List<String> eventLists = AuditLog.requestsBy(plane, identity.username()).stream()
                .filter(r -> r.verb().equals("list") && r.resource().equals("events")).map(AuditLog.Request::uri)
                .toList();
        assertThat(eventLists).as("the agent's lists of Events").anyMatch(uri -> uri.contains("limit=500"))
                .anyMatch(uri -> uri.contains("continue="));
    }

    @Test
    @DisplayName("the API server killed, a compaction while it is down, restarted: 503 meanwhile, the gap's occurrence reported once, nothing twice")
    void restartAndGone(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        AgentIdentity shipped = AgentIdentity.fromChart(plane, dir, "kse-restart", "kse-restart", Map.of());
        String ns = cluster.namespace("restart");
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SecondApiServer apiServer = SecondApiServer.start(plane);
                SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"),
                        shipped.pointedAt(plane.url(), apiServer.url()).kubeconfig(), sentry, endpoints,
                        Map.of("KUBE_SENTRY_NAMESPACES", ns, "KUBE_SENTRY_READINESS_GRACE", "2s"))) {
            Agents.awaitReady(agent, endpoints);
            cluster.kubeletEvent(ns, "before-7d9f8b6c5-x2k4q", "FailedMount", MOUNT);
            Agents.awaitWorkloadIssue(agent, sentry, ns, "before", "FailedMount");

            // When: the API server dies; meanwhile an occurrence is written (through the other server) and etcd
            // compacts its history past the agent's resourceVersion
            apiServer.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoints.readiness() == 503);
            cluster.kubeletEvent(ns, "gap-5c7f9d8b4-k2x9p", "FailedMount", MOUNT);
            IntStream.range(0, 20).forEach(i -> cluster.client().configMaps().inNamespace(ns).resource(
                    new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("churn-" + i)
                            .endMetadata().build()).create());
            apiServer.compactEtcd();
            apiServer.restart();

            // Then
            await().atMost(Duration.ofSeconds(90)).until(() -> endpoints.readiness() == 200);
            Agents.awaitWorkloadIssue(agent, sentry, ns, "gap", "FailedMount");
            agent.close();
            assertThat(agent.stderr()).as("the agent's resourceVersion was compacted away").containsPattern("410|Gone|too old");
            assertThat(Agents.issues(sentry, ns)).extracting(Agents::workload)
                    .containsExactly("before", "gap");
        }
    }
}
