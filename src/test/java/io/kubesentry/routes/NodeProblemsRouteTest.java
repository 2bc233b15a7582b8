package io.kubesentry.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.kubesentry.support.Markers;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Node problems through the shipped routes. Node Events are stored in namespace default; a node is in no
 * namespace, so KUBE_SENTRY_NAMESPACES (which names the teams' namespaces) does not hide them.
 */
@DisplayName("The shipped routes report node problems, also when the namespaces are restricted")
class NodeProblemsRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("default", "legacy", "worker-1", "legacy-7d9f8b6c5-q8w2e");
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
    @DisplayName("NodeNotReady and node-problem-detector's OOMKilling / SystemOOM with KUBE_SENTRY_NAMESPACES=shop")
    void nodeProblemsWithRestrictedNamespaces() {
        // Given
        agent = RunningAgent.start(cluster, sentry, Map.of("KUBE_SENTRY_NAMESPACES", "shop"));

        // When: the node controller, the kernel monitor (kubernikus#321) and the kubelet write about nodes,
        // and a pod in default (not a watched namespace) fails
        cluster.create(nodeEvent("worker-1", "NodeNotReady", "Node worker-1 status is now: NodeNotReady",
                "node-controller", ""));
        cluster.create(nodeEvent("worker-2", "OOMKilling", "Memory cgroup out of memory: Kill process 25169"
                + " (hyperkube) score 2109 or sacrifice child", "kernel-monitor", "worker-2"));
        cluster.create(nodeEvent("worker-3", "SystemOOM", "System OOM encountered, victim process: java, pid: 4120",
                "kubelet", "worker-3"));
        cluster.create(cluster.podEvent("default", "legacy-7d9f8b6c5-q8w2e", "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient memory.", 1, Instant.now()).build());
        new Markers(cluster, sentry, "shop").awaitProcessed(ARRIVAL);

        // Then
        List<JsonNode> nodeIssues = sentry.issues().stream()
                .filter(issue -> issue.path("tags").path("k8s.kind").asText().equals("Node")
                        || issue.path("fingerprint").toString().contains("Node/")).toList();
        assertThat(nodeIssues).extracting(issue -> issue.path("fingerprint").toString()).containsExactlyInAnyOrder(
                "[\"default\",\"Node/worker-1\",\"NodeNotReady\"]",
                "[\"default\",\"Node/worker-2\",\"OOMKilled\"]",
                "[\"default\",\"Node/worker-3\",\"OOMKilled\"]");
        JsonNode notReady = nodeIssues.stream()
                .filter(issue -> issue.path("tags").path("k8s.reason").asText().equals("NodeNotReady"))
                .findFirst().orElseThrow();
        assertThat(notReady.path("tags").path("k8s.node").asText()).isEqualTo("worker-1");
        assertThat(notReady.path("level").asText()).isEqualTo("error");
        assertThat(notReady.path("message").path("formatted").asText())
                .contains("Node worker-1 status is now: NodeNotReady");
        assertThat(sentry.issues()).as("a pod in default is still outside KUBE_SENTRY_NAMESPACES")
                .noneMatch(issue -> issue.path("tags").path("k8s.deployment").asText().equals("legacy"));
    }

    /** An Event about a node, stored in default as the API server stores them. */
    private static io.fabric8.kubernetes.api.model.events.v1.Event nodeEvent(String node, String reason, String note,
            String controller, String instance) {
        String seen = MockCluster.timestamp(Instant.now());
        return new EventBuilder()
                .withNewMetadata().withName(node + "." + Long.toHexString(System.nanoTime())).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewRegarding().withKind("Node").withApiVersion("v1").withName(node).withUid(node).endRegarding()
                .withReason(reason).withNote(note).withType("Warning")
                .withReportingController(controller).withReportingInstance(instance)
                .withAction(reason).withDeprecatedCount(1)
                .withDeprecatedFirstTimestamp(seen).withDeprecatedLastTimestamp(seen)
                .withEventTime(new MicroTime(seen))
                .build();
    }
}
