package io.kubesentry.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubesentry.classify.EventClassifier;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

public class WorkloadResolverTest {

    private static final String NS = "shop";
    private static final Instant SEEN = Instant.parse("2024-03-01T10:00:00Z");

    private final InMemoryLookup lookup = new InMemoryLookup();
    private final WorkloadResolver resolver = new WorkloadResolver(lookup, Duration.ofMinutes(10), 1_000);

    private static Occurrence occurrence(String kind, String name, String reason, String reportingNode) {
        String namespace = kind.equals("Node") ? "" : NS;
        ClusterEvent event = new ClusterEvent("uid-" + name, namespace.isEmpty() ? "default" : namespace,
                new InvolvedObject(kind, namespace, name, "obj-" + name, ""), reason, "message", "Warning", 1,
                SEEN, SEEN, reportingNode, "kubelet");
        return new EventClassifier().classify(event);
    }

    public static Occurrence podOccurrence(String pod) {
        return occurrence("Pod", pod, "BackOff", "");
    }

    private static Workload workload(String kind, String name) {
        return new Workload(kind, name);
    }

    @Test
    @DisplayName("follows Pod -> ReplicaSet -> Deployment and takes the node from the pod")
    void podOfDeployment() {
        // Given
        lookup.with("Pod", "api-7d9f8b6c5-x2k4q", workload("ReplicaSet", "api-7d9f8b6c5"), "node-a")
                .with("ReplicaSet", "api-7d9f8b6c5", workload("Deployment", "api"));

        // When
        Occurrence enriched = resolver.enrich(podOccurrence("api-7d9f8b6c5-x2k4q"));

        // Then
        assertThat(enriched.workload()).isEqualTo(workload("Deployment", "api"));
        assertThat(enriched.workload().qualifiedName()).isEqualTo("Deployment/api");
        assertThat(enriched.node()).isEqualTo("node-a");
    }

    static Stream<Arguments> directControllers() {
        return Stream.of(
                arguments("web-0", "StatefulSet", "web"),
                arguments("fluentd-5xk2p", "DaemonSet", "fluentd"));
    }

    @ParameterizedTest(name = "Pod {0} -> {1}/{2}")
    @MethodSource("directControllers")
    @DisplayName("stops at the StatefulSet or DaemonSet that controls a pod")
    void podOfStatefulSetOrDaemonSet(String pod, String kind, String name) {
        // Given
        lookup.with("Pod", pod, workload(kind, name), "node-b");

        // When
        Occurrence enriched = resolver.enrich(podOccurrence(pod));

        // Then
        assertThat(enriched.workload()).isEqualTo(workload(kind, name));
        assertThat(enriched.node()).isEqualTo("node-b");
        assertThat(lookup.totalCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("follows Pod -> Job -> CronJob")
    void podOfCronJob() {
        // Given
        lookup.with("Pod", "backup-28411230-q8z7m", workload("Job", "backup-28411230"), "node-c")
                .with("Job", "backup-28411230", workload("CronJob", "backup"));

        // When
        Occurrence enriched = resolver.enrich(occurrence("Pod", "backup-28411230-q8z7m", "OOMKilled", ""));

        // Then
        assertThat(enriched.workload()).isEqualTo(workload("CronJob", "backup"));
        assertThat(enriched.node()).isEqualTo("node-c");
    }

    @Test
    @DisplayName("stops at a Job that no CronJob owns")
    void podOfPlainJob() {
        // Given
        lookup.with("Pod", "migrate-q8z7m", workload("Job", "migrate"))
                .with("Job", "migrate", null);

        // When
        Workload resolved = resolver.resolve("Pod", NS, "migrate-q8z7m");

        // Then
        assertThat(resolved).isEqualTo(workload("Job", "migrate"));
    }

    @Test
    @DisplayName("a bare pod with no controller is its own workload")
    void barePod() {
        // Given
        lookup.with("Pod", "debug-shell", null, "node-d");

        // When
        Occurrence enriched = resolver.enrich(podOccurrence("debug-shell"));

        // Then
        assertThat(enriched.workload()).isEqualTo(workload("Pod", "debug-shell"));
        assertThat(enriched.node()).isEqualTo("node-d");
    }

    @Test
    @DisplayName("a Node event belongs to the Node workload named after the node, without any lookup")
    void nodeEvent() {
        // Given
        Occurrence nodeOom = occurrence("Node", "worker-3", "OOMKilling", "worker-3");

        // When
        Occurrence enriched = resolver.enrich(nodeOom);

        // Then
        assertThat(enriched.reason()).isEqualTo("OOMKilled");
        assertThat(enriched.workload()).isEqualTo(workload("Node", "worker-3"));
        assertThat(enriched.node()).isEqualTo("worker-3");
        assertThat(lookup.totalCalls()).isZero();
    }

    @Test
    @DisplayName("keeps the reporting node when the pod is not found")
    void reportingNodeKeptWhenPodUnknown() {
        // Given an empty cluster
        Occurrence occurrence = occurrence("Pod", "api-7d9f8b6c5-x2k4q", "BackOff", "node-from-kubelet");

        // When
        Occurrence enriched = resolver.enrich(occurrence);

        // Then
        assertThat(enriched.node()).isEqualTo("node-from-kubelet");
    }

    @Test
    @DisplayName("a kind it does not follow is its own workload, without any lookup")
    void unfollowedKind() {
        // Given
        Occurrence occurrence = occurrence("PersistentVolumeClaim", "data-web-0", "FailedMount", "");

        // When
        Occurrence enriched = resolver.enrich(occurrence);

        // Then
        assertThat(enriched.workload()).isEqualTo(workload("PersistentVolumeClaim", "data-web-0"));
        assertThat(lookup.totalCalls()).isZero();
    }

    @Test
    @DisplayName("reads each object once: 100 events from the pods of one ReplicaSet cost one lookup per object")
    void lookupsAreCached() {
        // Given
        String[] pods = {"api-7d9f8b6c5-aaaaa", "api-7d9f8b6c5-bbbbb", "api-7d9f8b6c5-ccccc", "api-7d9f8b6c5-ddddd"};
        lookup.with("ReplicaSet", "api-7d9f8b6c5", workload("Deployment", "api"));
        for (String pod : pods) {
            lookup.with("Pod", pod, workload("ReplicaSet", "api-7d9f8b6c5"), "node-a");
        }

        // When
        for (int i = 0; i < 100; i++) {
            Occurrence enriched = resolver.enrich(podOccurrence(pods[i % pods.length]));
            assertThat(enriched.workload()).isEqualTo(workload("Deployment", "api"));
        }

        // Then
        assertThat(lookup.callsByObject()).hasSize(5).allSatisfy((object, calls) -> assertThat(calls).isEqualTo(1));
        assertThat(lookup.calls("ReplicaSet", "api-7d9f8b6c5")).isEqualTo(1);
        assertThat(lookup.totalCalls()).isEqualTo(5);
    }

    @Test
    @DisplayName("caches objects that were not found too")
    void missesAreCached() {
        // Given an empty cluster

        // When
        for (int i = 0; i < 10; i++) {
            resolver.enrich(podOccurrence("web-0"));
        }

        // Then
        assertThat(lookup.calls("Pod", "web-0")).isEqualTo(1);
    }

    @Nested
    @DisplayName("when objects cannot be read")
    class NotFound {

        @ParameterizedTest(name = "{0} {1} -> {2}/{3}")
        @CsvSource({
            "Pod, api-7d9f8b6c5-x2k4q, Deployment, api",
            "Pod, payments-worker-6b8f9c7d4d-7xk2p, Deployment, payments-worker",
            "Pod, spartakus-collector-3999054429-atph7, Deployment, spartakus-collector",
            "ReplicaSet, api-7d9f8b6c5, Deployment, api",
            "Job, backup-28411230, CronJob, backup",
            "Pod, backup-28411230-q8z7m, CronJob, backup",
            "Pod, nightly-report-29012345-7xk2p, CronJob, nightly-report",
            "Job, migrate, Job, migrate",
            "Pod, web-0, Pod, web-0",
            "Pod, fluentd-5xk2p, Pod, fluentd-5xk2p",
            "Pod, debug-shell, Pod, debug-shell"})
        @DisplayName("reads the owner from the names controllers generate")
        void fallsBackToNames(String kind, String name, String expectedKind, String expectedName) {
            // Given an empty cluster

            // When
            Workload resolved = resolver.resolve(kind, NS, name);

            // Then
            assertThat(resolved).isEqualTo(workload(expectedKind, expectedName));
        }

        @Test
        @DisplayName("reads the Deployment from the ReplicaSet's name when only the pod is found")
        void replicaSetGoneButPodFound() {
            // Given
            lookup.with("Pod", "api-7d9f8b6c5-x2k4q", workload("ReplicaSet", "api-7d9f8b6c5"), "node-a");

            // When
            Occurrence enriched = resolver.enrich(podOccurrence("api-7d9f8b6c5-x2k4q"));

            // Then
            assertThat(enriched.workload()).isEqualTo(workload("Deployment", "api"));
            assertThat(lookup.calls("ReplicaSet", "api-7d9f8b6c5")).isEqualTo(1);
        }

        @Test
        @DisplayName("reads the Job from a gone CronJob pod's name, then asks the API server for that Job")
        void cronJobPodGoneButJobFound() {
            // Given
            lookup.with("Job", "backup-28411230", workload("CronJob", "db-backup"));

            // When
            Workload resolved = resolver.resolve("Pod", NS, "backup-28411230-q8z7m");

            // Then
            assertThat(resolved).isEqualTo(workload("CronJob", "db-backup"));
            assertThat(lookup.calls("Pod", "backup-28411230-q8z7m")).isEqualTo(1);
            assertThat(lookup.calls("Job", "backup-28411230")).isEqualTo(1);
        }

        @Test
        @DisplayName("with no cluster at all (ObjectLookup.none) still names the Deployment")
        void noCluster() {
            // Given
            WorkloadResolver offline = new WorkloadResolver(ObjectLookup.none(), Duration.ofMinutes(1), 10);

            // When
            Occurrence enriched = offline.enrich(podOccurrence("api-7d9f8b6c5-x2k4q"));

            // Then
            assertThat(enriched.workload()).isEqualTo(workload("Deployment", "api"));
            assertThat(enriched.node()).isEmpty();
        }

        @Test
        @DisplayName("stops on an owner-reference cycle instead of looping")
        void ownerReferenceCycle() {
            // Given
            lookup.with("Pod", "odd-pod", workload("ReplicaSet", "loop-a"))
                    .with("ReplicaSet", "loop-a", workload("Job", "loop-b"))
                    .with("Job", "loop-b", workload("ReplicaSet", "loop-a"));

            // When
            Workload resolved = resolver.resolve("Pod", NS, "odd-pod");

            // Then
            assertThat(resolved).isEqualTo(workload("ReplicaSet", "loop-a"));
            assertThat(lookup.calls("ReplicaSet", "loop-a")).isEqualTo(1);
            assertThat(lookup.calls("Job", "loop-b")).isEqualTo(1);
        }

        @Test
        @DisplayName("stops on an object that names itself as its controller")
        void selfOwner() {
            // Given
            lookup.with("Pod", "self", workload("Pod", "self"));

            // When
            Workload resolved = resolver.resolve("Pod", NS, "self");

            // Then
            assertThat(resolved).isEqualTo(workload("Pod", "self"));
            assertThat(lookup.totalCalls()).isEqualTo(1);
        }
    }
}
