package io.kubesentry.podstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerSnapshot;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.MalformedEventException;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.kubernetes.PodMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixtures follow /work/shared/examples: the OOMKilled kafka controller of sentry-kubernetes/charts#1491 (times
 * converted from +0600 to UTC), the opa pod and its back-off message of k8sgpt-ai/k8sgpt#792, the evicted cStor
 * pool pod of nforgeio/neonKUBE#1897 and the missing image of kubernetes/kubernetes#63393. Names, images and
 * resources the excerpts do not show are made up.
 */
@DisplayName("PodStatusReader reads OOM kills, crash loops and failed waits from a Pod's status")
class PodStatusReaderTest {

    // sentry-kubernetes/charts#1491: Started 06:56:46, Finished 06:59:31, restarted 07:04:34 (+0600)
    private static final String KAFKA_POD = "sentry-kafka-controller-1";
    private static final String KAFKA_UID = "5c0e4b8a-2f1d-4e55-9a3b-6f7d2c1e8a90";
    private static final String KAFKA_IMAGE = "docker.io/bitnami/kafka:3.7.0-debian-12-r6";
    private static final String OOM_STARTED = "2024-09-28T00:56:46Z";
    private static final String OOM_FINISHED = "2024-09-28T00:59:31Z";
    private static final String RESTARTED = "2024-09-28T01:04:34Z";
    private static final String OOM_CONTAINER_ID =
            "containerd://8c3a1d0f5be24a5c9f4e3d2b1a0c9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e";

    // k8sgpt-ai/k8sgpt#792
    private static final String OPA_POD = "opa-849dcb7499-9chrt";
    private static final String OPA_UID = "7f8061d3-3603-49d6-8e03-77cb4b1bbed4";
    private static final String OPA_BACK_OFF =
            "back-off 5m0s restarting failed container=opa pod=opa-849dcb7499-9chrt_opa(7f8061d3-3603-49d6-8e03-77cb4b1bbed4)";

    // nforgeio/neonKUBE#1897: the YAML folds the message; the kubelet ends each sentence with ". "
    private static final String EVICTION_MESSAGE = "The node was low on resource: memory. Container cstor-pool-mgmt was"
            + " using 27484Ki, which exceeds its request of 0. Container maya-exporter was using 9736Ki, which exceeds"
            + " its request of 0. Container cstor-pool was using 51480Ki, which exceeds its request of 0. ";

    // kubernetes/kubernetes#63393
    private static final String DATA_TRANSFER_POD = "data-transfer-web-7dc566774d-6xjrg";
    private static final String DATA_TRANSFER_IMAGE = "192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT";

    private static final String READY_SINCE = "2024-09-28T01:04:40Z";

    private final PodStatusReader reader = new PodStatusReader();

    /** The kafka controller's metadata and spec; its status is up to each test. */
    private static PodBuilder kafka() {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(KAFKA_POD)
                    .withNamespace("test")
                    .withUid(KAFKA_UID)
                .endMetadata()
                .withNewSpec()
                    .withNodeName("worker-2")
                    .addNewContainer()
                        .withName("kafka")
                        .withImage(KAFKA_IMAGE)
                        .withNewResources()
                            .addToRequests("memory", new Quantity("512Mi"))
                            .addToRequests("cpu", new Quantity("250m"))
                            .addToLimits("memory", new Quantity("1Gi"))
                        .endResources()
                    .endContainer()
                .endSpec();
    }

    /** The opa pod: an admission controller with the kube-mgmt sidecar. */
    private static PodBuilder opa() {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(OPA_POD)
                    .withNamespace("opa")
                    .withUid(OPA_UID)
                .endMetadata()
                .withNewSpec()
                    .withNodeName("node-1")
                    .addNewInitContainer()
                        .withName("wait-for-policies")
                        .withImage("busybox:1.36")
                    .endInitContainer()
                    .addNewContainer()
                        .withName("opa")
                        .withImage("openpolicyagent/opa:0.59.0")
                        .withNewResources()
                            .addToRequests("memory", new Quantity("64Mi"))
                            .addToLimits("memory", new Quantity("128Mi"))
                        .endResources()
                    .endContainer()
                    .addNewContainer()
                        .withName("kube-mgmt")
                        .withImage("openpolicyagent/kube-mgmt:8.5.0")
                    .endContainer()
                .endSpec();
    }

    private static PodBuilder dataTransfer() {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(DATA_TRANSFER_POD)
                    .withNamespace("default")
                    .withUid("3e8f9a2b-4c5d-11e8-9c2d-fa7ae01bbebc")
                .endMetadata()
                .withNewSpec()
                    .withNodeName("node6")
                    .addNewContainer().withName("data-transfer").withImage(DATA_TRANSFER_IMAGE).endContainer()
                .endSpec();
    }

    /** A running pod's status: Ready changed at {@link #READY_SINCE}. */
    private static PodStatus running(ContainerStatus... containers) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .withStartTime("2024-09-28T00:50:02Z")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                    .withLastTransitionTime("2024-09-28T00:50:02Z").endCondition()
                .addNewCondition().withType("Ready").withStatus("False")
                    .withLastTransitionTime(READY_SINCE).endCondition()
                .withContainerStatuses(containers)
                .build();
    }

    /** The kafka container killed for memory: the termination as `kubectl describe` showed it. */
    private static ContainerStatusBuilder kafkaStatus(int restarts) {
        return new ContainerStatusBuilder().withName("kafka").withImage(KAFKA_IMAGE).withRestartCount(restarts)
                .withReady(false);
    }

    private static ContainerStatus kafkaOomKilledNow() {
        return kafkaStatus(3)
                .withNewState().withNewTerminated()
                    .withReason("OOMKilled").withExitCode(137)
                    .withStartedAt(OOM_STARTED).withFinishedAt(OOM_FINISHED)
                    .withContainerID(OOM_CONTAINER_ID)
                .endTerminated().endState()
                .build();
    }

    private static ContainerStatus kafkaRunningAfterOomKill(String containerId) {
        return kafkaStatus(4)
                .withNewState().withNewRunning().withStartedAt(RESTARTED).endRunning().endState()
                .withNewLastState().withNewTerminated()
                    .withReason("OOMKilled").withExitCode(137)
                    .withStartedAt(OOM_STARTED).withFinishedAt(OOM_FINISHED)
                    .withContainerID(containerId)
                .endTerminated().endLastState()
                .build();
    }

    private static ContainerStatus opaCrashLooping(String lastReason, int exitCode, int restarts) {
        return new ContainerStatusBuilder().withName("opa").withImage("openpolicyagent/opa:0.59.0")
                .withRestartCount(restarts).withReady(false)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage(OPA_BACK_OFF)
                    .endWaiting().endState()
                .withNewLastState().withNewTerminated()
                    .withReason(lastReason).withExitCode(exitCode)
                    .withStartedAt("2023-12-15T10:09:58Z").withFinishedAt("2023-12-15T10:10:01Z")
                    .withContainerID("containerd://4b2e9d7c1a6f" + restarts)
                .endTerminated().endLastState()
                .build();
    }

    private static ContainerStatus kubeMgmtRunning() {
        return new ContainerStatusBuilder().withName("kube-mgmt").withImage("openpolicyagent/kube-mgmt:8.5.0")
                .withRestartCount(0).withReady(true)
                .withNewState().withNewRunning().withStartedAt("2023-12-15T09:40:12Z").endRunning().endState()
                .build();
    }

    private static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder().withName("data-transfer").withImage(DATA_TRANSFER_IMAGE)
                .withRestartCount(0).withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
    }

    @Test
    @DisplayName("a running pod has nothing to report")
    void runningPod() {
        // Given
        Pod pod = kafka().withStatus(running(kafkaStatus(0)
                .withReady(true)
                .withNewState().withNewRunning().withStartedAt("2024-09-28T00:50:10Z").endRunning().endState()
                .build())).build();

        // When
        List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

        // Then
        assertThat(occurrences).isEmpty();
    }

    @Nested
    @DisplayName("OOM kills")
    class OomKills {

        @Test
        @DisplayName("a container terminated OOMKilled is one OOMKilled occurrence with its exit code and memory limit")
        void currentTermination() {
            // Given
            Pod pod = kafka().withStatus(running(kafkaOomKilledNow())).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).hasSize(1);
            Occurrence oom = occurrences.get(0);
            assertThat(oom.reason()).isEqualTo("OOMKilled");
            assertThat(oom.event().reason()).isEqualTo("OOMKilled");
            assertThat(oom.message()).isEqualTo("Container kafka was OOMKilled (exit code 137) with a memory limit of 1Gi");
            assertThat(oom.event().count()).isEqualTo(1);
            assertThat(oom.event().firstSeen()).isEqualTo(Instant.parse(OOM_FINISHED));
            assertThat(oom.event().lastSeen()).isEqualTo(Instant.parse(OOM_FINISHED));
            assertThat(oom.container()).contains(new ContainerSnapshot("kafka", false, KAFKA_IMAGE, 3, "OOMKilled",
                    137, OOM_STARTED, OOM_FINISHED, Map.of("memory", "512Mi", "cpu", "250m"),
                    Map.of("memory", "1Gi")));
        }

        @Test
        @DisplayName("a running container whose last state is OOMKilled (the #1491 describe output) is OOMKilled")
        void lastStateWhileRunning() {
            // Given
            Pod pod = kafka().withStatus(running(kafkaRunningAfterOomKill(OOM_CONTAINER_ID))).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(oom -> {
                assertThat(oom.reason()).isEqualTo("OOMKilled");
                assertThat(oom.event().lastSeen()).as("when the kill happened, not the restart")
                        .isEqualTo(Instant.parse(OOM_FINISHED));
                assertThat(oom.container()).get().satisfies(snapshot -> {
                    assertThat(snapshot.restartCount()).isEqualTo(4);
                    assertThat(snapshot.lastTerminationReason()).isEqualTo("OOMKilled");
                    assertThat(snapshot.exitCode()).isEqualTo(137);
                });
            });
        }

        @Test
        @DisplayName("last state OOMKilled while waiting in CrashLoopBackOff is one OOMKilled occurrence with the back-off")
        void oomKilledCrashLoop() {
            // Given
            Pod pod = opa().withStatus(running(opaCrashLooping("OOMKilled", 137, 5), kubeMgmtRunning())).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(oom -> {
                assertThat(oom.reason()).isEqualTo("OOMKilled");
                assertThat(oom.message()).isEqualTo("Container opa was OOMKilled (exit code 137) with a memory limit"
                        + " of 128Mi; " + OPA_BACK_OFF);
                assertThat(oom.object().container()).contains("opa");
                assertThat(oom.container()).get().extracting(ContainerSnapshot::restartCount).isEqualTo(5);
            });
        }

        @Test
        @DisplayName("the same termination read again (another MODIFIED) has the same uid, count and lastSeen")
        void sameTerminationSameDelivery() {
            // Given: the kill, then the restart that moved it to lastState
            Pod killed = kafka().withStatus(running(kafkaOomKilledNow())).build();
            Pod restarted = kafka().withStatus(running(kafkaRunningAfterOomKill(OOM_CONTAINER_ID))).build();

            // When
            ClusterEvent first = reader.occurrences(PodMapper.toPodState(killed)).get(0).event();
            ClusterEvent again = reader.occurrences(PodMapper.toPodState(killed)).get(0).event();
            ClusterEvent afterRestart = reader.occurrences(PodMapper.toPodState(restarted)).get(0).event();

            // Then: OccurrenceKeys.delivery is uid|count|lastSeen, so the dedup drops the repeats
            assertThat(List.of(again, afterRestart)).allSatisfy(event -> {
                assertThat(event.uid()).isEqualTo(first.uid());
                assertThat(event.count()).isEqualTo(first.count());
                assertThat(event.lastSeen()).isEqualTo(first.lastSeen());
            });
            OccurrenceKeys keys = new OccurrenceKeys(Optional.empty());
            assertThat(keys.delivery(reader.occurrences(PodMapper.toPodState(restarted)).get(0)))
                    .isEqualTo(keys.delivery(reader.occurrences(PodMapper.toPodState(killed)).get(0)));
        }

        @Test
        @DisplayName("a new termination (another containerID) has a uid of its own")
        void newTerminationNewUid() {
            // Given
            Pod first = kafka().withStatus(running(kafkaRunningAfterOomKill(OOM_CONTAINER_ID))).build();
            Pod second = kafka().withStatus(running(kafkaRunningAfterOomKill(
                    "containerd://1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"))).build();

            // When
            String firstUid = reader.occurrences(PodMapper.toPodState(first)).get(0).event().uid();
            String secondUid = reader.occurrences(PodMapper.toPodState(second)).get(0).event().uid();

            // Then
            assertThat(secondUid).isNotEqualTo(firstUid);
            OccurrenceKeys keys = new OccurrenceKeys(Optional.empty());
            assertThat(keys.delivery(reader.occurrences(PodMapper.toPodState(second)).get(0)))
                    .isNotEqualTo(keys.delivery(reader.occurrences(PodMapper.toPodState(first)).get(0)));
        }

        @Test
        @DisplayName("only the container that was killed is reported, not its running sidecar")
        void onlyTheKilledContainer() {
            // Given
            Pod pod = opa().withStatus(running(kubeMgmtRunning(), opaCrashLooping("OOMKilled", 137, 2))).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).extracting(o -> o.object().fieldPath()).containsExactly("spec.containers{opa}");
        }
    }

    @Nested
    @DisplayName("Crash loops")
    class CrashLoops {

        @Test
        @DisplayName("waiting in CrashLoopBackOff after an Error exit counts restarts and is seen when it last exited")
        void crashLoopAfterError() {
            // Given
            Pod pod = opa().withStatus(running(opaCrashLooping("Error", 1, 7), kubeMgmtRunning())).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(loop -> {
                assertThat(loop.reason()).isEqualTo("CrashLoopBackOff");
                assertThat(loop.message()).isEqualTo(OPA_BACK_OFF);
                assertThat(loop.event().count()).isEqualTo(7);
                assertThat(loop.event().lastSeen()).isEqualTo(Instant.parse("2023-12-15T10:10:01Z"));
                assertThat(loop.container()).contains(new ContainerSnapshot("opa", false, "openpolicyagent/opa:0.59.0",
                        7, "Error", 1, "2023-12-15T10:09:58Z", "2023-12-15T10:10:01Z",
                        Map.of("memory", "64Mi"), Map.of("memory", "128Mi")));
            });
        }

        @Test
        @DisplayName("each restart is a new delivery of one crash loop: same uid, the next count")
        void eachRestartCounts() {
            // Given
            Pod seventh = opa().withStatus(running(opaCrashLooping("Error", 1, 7))).build();
            Pod eighth = opa().withStatus(running(opaCrashLooping("Error", 1, 8))).build();

            // When
            ClusterEvent before = reader.occurrences(PodMapper.toPodState(seventh)).get(0).event();
            ClusterEvent after = reader.occurrences(PodMapper.toPodState(eighth)).get(0).event();

            // Then
            assertThat(after.uid()).isEqualTo(before.uid());
            assertThat(after.count()).isEqualTo(8);
        }

        @Test
        @DisplayName("an init container counts too, under spec.initContainers{name}")
        void initContainer() {
            // Given
            Pod pod = opa().withStatus(new PodStatusBuilder(running())
                    .withPhase("Pending")
                    .addNewInitContainerStatus()
                        .withName("wait-for-policies").withImage("busybox:1.36").withRestartCount(3).withReady(false)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                            .withMessage("back-off 40s restarting failed container=wait-for-policies"
                                    + " pod=opa-849dcb7499-9chrt_opa(7f8061d3-3603-49d6-8e03-77cb4b1bbed4)")
                        .endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                            .withStartedAt("2023-12-15T09:41:02Z").withFinishedAt("2023-12-15T09:41:03Z")
                        .endTerminated().endLastState()
                    .endInitContainerStatus()
                    .build()).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(loop -> {
                assertThat(loop.reason()).isEqualTo("CrashLoopBackOff");
                assertThat(loop.object().fieldPath()).isEqualTo("spec.initContainers{wait-for-policies}");
                assertThat(loop.object().container()).contains("wait-for-policies");
                assertThat(loop.container()).get().satisfies(snapshot -> {
                    assertThat(snapshot.init()).isTrue();
                    assertThat(snapshot.image()).isEqualTo("busybox:1.36");
                    assertThat(snapshot.exitCode()).isEqualTo(1);
                });
            });
        }
    }

    @Nested
    @DisplayName("Failed waits and evictions")
    class WaitsAndEvictions {

        static Stream<Arguments> waitingStates() {
            String notFound = "rpc error: code = Unknown desc = Error: image youben/data-transfer:1.0-SNAPSHOT not found";
            String backOff = "Back-off pulling image \"" + DATA_TRANSFER_IMAGE + "\"";
            return Stream.of(
                    arguments("ImagePullBackOff", backOff, "ImagePullBackOff", "ImagePullBackOff: " + backOff),
                    arguments("ErrImagePull", notFound, "ImagePullBackOff", "ErrImagePull: " + notFound),
                    arguments("InvalidImageName", "Failed to apply default image tag \"192.168.1.225:5000/youben/"
                            + "Data-Transfer\": couldn't parse image reference \"192.168.1.225:5000/youben/"
                            + "Data-Transfer\": invalid reference format: repository name must be lowercase",
                            "ImagePullBackOff", "InvalidImageName: Failed to apply default image tag"),
                    arguments("ErrImageNeverPull", "Container image \"" + DATA_TRANSFER_IMAGE
                            + "\" is not present with pull policy of Never", "ImagePullBackOff",
                            "ErrImageNeverPull: Container image"),
                    arguments("CreateContainerConfigError", "secret \"data-transfer-db\" not found",
                            "CreateContainerConfigError", "secret \"data-transfer-db\" not found"),
                    arguments("CreateContainerConfigError", "couldn't find key password in Secret default/data-transfer-db",
                            "CreateContainerConfigError", "couldn't find key password in Secret default/data-transfer-db"),
                    arguments("CreateContainerError", "context deadline exceeded", "CreateContainerError",
                            "context deadline exceeded"));
        }

        @ParameterizedTest(name = "waiting {0} -> {2}")
        @MethodSource("waitingStates")
        @DisplayName("a container waiting on its image or its configuration is reported under the watched reason")
        void failedWaits(String waitingReason, String waitingMessage, String reason, String messageStart) {
            // Given
            Pod pod = dataTransfer().withStatus(new PodStatusBuilder(running(waiting(waitingReason, waitingMessage)))
                    .withPhase("Pending").build()).build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(wait -> {
                assertThat(wait.reason()).isEqualTo(reason);
                assertThat(wait.message()).startsWith(messageStart).contains(waitingMessage);
                assertThat(wait.event().count()).isEqualTo(1);
                assertThat(wait.event().lastSeen()).as("the latest condition change").isEqualTo(Instant.parse(READY_SINCE));
                assertThat(wait.object().fieldPath()).isEqualTo("spec.containers{data-transfer}");
                assertThat(wait.node()).isEqualTo("node6");
                assertThat(wait.container()).get().satisfies(snapshot -> {
                    assertThat(snapshot.image()).isEqualTo(DATA_TRANSFER_IMAGE);
                    assertThat(snapshot.lastTerminationReason()).isEmpty();
                    assertThat(snapshot.exitCode()).isNull();
                });
            });
        }

        @Test
        @DisplayName("a pull alternating ErrImagePull and ImagePullBackOff is one delivery: same uid, count and time")
        void pullAlternation() {
            // Given
            Pod errImagePull = dataTransfer().withStatus(running(waiting("ErrImagePull",
                    "rpc error: code = Unknown desc = Error: image youben/data-transfer:1.0-SNAPSHOT not found"))).build();
            Pod backOff = dataTransfer().withStatus(running(waiting("ImagePullBackOff",
                    "Back-off pulling image \"" + DATA_TRANSFER_IMAGE + "\""))).build();

            // When
            ClusterEvent first = reader.occurrences(PodMapper.toPodState(errImagePull)).get(0).event();
            ClusterEvent second = reader.occurrences(PodMapper.toPodState(backOff)).get(0).event();

            // Then
            assertThat(second.uid()).isEqualTo(first.uid());
            assertThat(second.count()).isEqualTo(first.count());
            assertThat(second.lastSeen()).isEqualTo(first.lastSeen());
        }

        @Test
        @DisplayName("status.reason Evicted is an Evicted occurrence of the pod with the kubelet's message")
        void evicted() {
            // Given: the neonKUBE pod's status
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                        .withName("cstor-disk-pool-xqfp-7d8b9c5f4-lm2zq")
                        .withNamespace("neon-storage")
                        .withUid("b7a1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
                    .endMetadata()
                    .withNewSpec()
                        .withNodeName("worker-0")
                        .addNewContainer().withName("cstor-pool-mgmt").endContainer()
                        .addNewContainer().withName("cstor-pool").endContainer()
                        .addNewContainer().withName("maya-exporter").endContainer()
                    .endSpec()
                    .withNewStatus()
                        .withPhase("Failed")
                        .addNewCondition().withType("Initialized").withStatus("True")
                            .withLastTransitionTime("2024-03-12T11:51:39Z").endCondition()
                        .addNewCondition().withType("Ready").withStatus("False")
                            .withLastTransitionTime("2024-03-12T11:52:43Z").withReason("ContainersNotReady")
                            .withMessage("containers with unready status: [cstor-pool-mgmt cstor-pool maya-exporter]")
                        .endCondition()
                        .addNewCondition().withType("ContainersReady").withStatus("False")
                            .withLastTransitionTime("2024-03-12T11:52:43Z").withReason("ContainersNotReady")
                            .withMessage("containers with unready status: [cstor-pool-mgmt cstor-pool maya-exporter]")
                        .endCondition()
                        .addNewCondition().withType("PodScheduled").withStatus("True")
                            .withLastTransitionTime("2024-03-12T11:51:39Z").endCondition()
                        .withMessage(EVICTION_MESSAGE)
                        .withReason("Evicted")
                        .withHostIP("10.100.42.154")
                        .withPodIP("10.254.59.37")
                    .endStatus()
                    .build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).singleElement().satisfies(evicted -> {
                assertThat(evicted.reason()).isEqualTo("Evicted");
                assertThat(evicted.message()).isEqualTo(EVICTION_MESSAGE);
                assertThat(evicted.object()).isEqualTo(new InvolvedObject("Pod", "neon-storage",
                        "cstor-disk-pool-xqfp-7d8b9c5f4-lm2zq", "b7a1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", ""));
                assertThat(evicted.object().container()).isEmpty();
                assertThat(evicted.container()).isEmpty();
                assertThat(evicted.event().lastSeen()).isEqualTo(Instant.parse("2024-03-12T11:52:43Z"));
                assertThat(evicted.node()).isEqualTo("worker-0");
            });
        }
    }

    @Test
    @DisplayName("an occurrence names its container in fieldPath, its node from spec.nodeName and the pod as object")
    void whereItHappened() {
        // Given
        Pod pod = kafka().withStatus(running(kafkaOomKilledNow())).build();

        // When
        Occurrence oom = reader.occurrences(PodMapper.toPodState(pod)).get(0);

        // Then
        assertThat(oom.object()).isEqualTo(new InvolvedObject("Pod", "test", KAFKA_POD, KAFKA_UID,
                "spec.containers{kafka}"));
        assertThat(oom.object().container()).contains("kafka");
        assertThat(oom.namespace()).isEqualTo("test");
        assertThat(oom.node()).isEqualTo("worker-2");
        assertThat(oom.event().reportingNode()).isEqualTo("worker-2");
        assertThat(oom.event().isWarning()).isTrue();
        assertThat(oom.event().source()).isEqualTo("pod-status");
        assertThat(oom.workload()).isEqualTo(new Workload("Pod", KAFKA_POD));
    }

    @Nested
    @DisplayName("Edge cases: nothing to report")
    class NothingToReport {

        @ParameterizedTest(name = "terminated {0} (exit {1}) while being deleted")
        @CsvSource({"Error, 143", "OOMKilled, 137", "Completed, 0"})
        @DisplayName("a pod being deleted (scale-down, rollout) reports none of its exits")
        void terminating(String reason, int exitCode) {
            // Given
            Pod pod = kafka()
                    .editMetadata().withDeletionTimestamp("2024-09-28T02:00:00Z").withDeletionGracePeriodSeconds(30L)
                    .endMetadata()
                    .withStatus(running(kafkaStatus(0)
                            .withNewState().withNewTerminated().withReason(reason).withExitCode(exitCode)
                                .withStartedAt(RESTARTED).withFinishedAt("2024-09-28T02:00:12Z")
                                .withContainerID(OOM_CONTAINER_ID)
                            .endTerminated().endState()
                            .build()))
                    .build();

            // When
            List<Occurrence> occurrences = reader.occurrences(PodMapper.toPodState(pod));

            // Then
            assertThat(occurrences).isEmpty();
        }

        @Test
        @DisplayName("an evicted pod being deleted is not reported either")
        void evictedAndDeleted() {
            // Given
            Pod pod = kafka()
                    .editMetadata().withDeletionTimestamp("2024-09-28T02:00:00Z").endMetadata()
                    .withStatus(new PodStatusBuilder(running()).withPhase("Failed").withReason("Evicted")
                            .withMessage("The node was low on resource: memory. ").build())
                    .build();

            // When / Then
            assertThat(reader.occurrences(PodMapper.toPodState(pod))).isEmpty();
        }

        @Test
        @DisplayName("a pod without status (just created) has nothing to report")
        void noStatus() {
            // Given
            Pod pod = kafka().build();

            // When / Then
            assertThat(reader.occurrences(PodMapper.toPodState(pod))).isEmpty();
        }

        @ParameterizedTest(name = "waiting {0}")
        @CsvSource({"ContainerCreating, ''", "PodInitializing, ''"})
        @DisplayName("a container waiting to start normally is no failure")
        void normalWaits(String reason, String message) {
            // Given
            Pod pod = dataTransfer().withStatus(running(waiting(reason, message))).build();

            // When / Then
            assertThat(reader.occurrences(PodMapper.toPodState(pod))).isEmpty();
        }

        @Test
        @DisplayName("a container that completed (exit 0) or died without back-off yet is no OOM kill nor crash loop")
        void completedOrErrorOnce() {
            // Given
            Pod pod = opa().withStatus(running(
                    new ContainerStatusBuilder().withName("opa").withRestartCount(0)
                            .withNewState().withNewTerminated().withReason("Completed").withExitCode(0)
                                .withFinishedAt("2023-12-15T10:10:01Z").endTerminated().endState().build(),
                    new ContainerStatusBuilder().withName("kube-mgmt").withRestartCount(0)
                            .withNewState().withNewTerminated().withReason("Error").withExitCode(1)
                                .withFinishedAt("2023-12-15T10:10:01Z").endTerminated().endState().build()))
                    .build();

            // When / Then
            assertThat(reader.occurrences(PodMapper.toPodState(pod))).isEmpty();
        }
    }

    @Nested
    @DisplayName("Edge cases: incomplete pods")
    class IncompletePods {

        @Test
        @DisplayName("a pod without metadata is malformed")
        void noMetadata() {
            // Given
            Pod pod = new PodBuilder().withStatus(running(kafkaOomKilledNow())).build();

            // When / Then
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> reader.occurrences(PodMapper.toPodState(pod)))
                    .withMessageContaining("metadata");
        }

        @Test
        @DisplayName("no pod at all is malformed")
        void noPod() {
            // When / Then
            assertThatExceptionOfType(MalformedEventException.class).isThrownBy(() -> reader.occurrences(PodMapper.toPodState(null)));
        }

        @Test
        @DisplayName("a pod without spec is still read: the image comes from the status, the message has no limit")
        void noSpec() {
            // Given
            Pod pod = kafka().withSpec(null).withStatus(running(kafkaOomKilledNow())).build();

            // When
            Occurrence oom = reader.occurrences(PodMapper.toPodState(pod)).get(0);

            // Then
            assertThat(oom.message()).isEqualTo("Container kafka was OOMKilled (exit code 137)");
            assertThat(oom.node()).isEmpty();
            assertThat(oom.container()).get().satisfies(snapshot -> {
                assertThat(snapshot.image()).isEqualTo(KAFKA_IMAGE);
                assertThat(snapshot.limits()).isEmpty();
            });
        }

        @Test
        @DisplayName("a crash loop without a back-off message still reports the OOM kill, without a dangling separator")
        void crashLoopWithoutMessage() {
            // Given
            Pod pod = kafka().withStatus(running(kafkaStatus(5)
                    .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                        .withStartedAt(OOM_STARTED).withFinishedAt(OOM_FINISHED).withContainerID(OOM_CONTAINER_ID)
                    .endTerminated().endLastState()
                    .build())).build();

            // When
            Occurrence oom = reader.occurrences(PodMapper.toPodState(pod)).get(0);

            // Then
            assertThat(oom.message()).isEqualTo("Container kafka was OOMKilled (exit code 137) with a memory limit of 1Gi");
        }

        @Test
        @DisplayName("a pod without uid still gets a stable identity from its namespace and name")
        void noUid() {
            // Given
            Pod pod = kafka().editMetadata().withUid(null).endMetadata()
                    .withStatus(new PodStatusBuilder(running()).withReason("Evicted")
                            .withMessage("The node was low on resource: memory. ").build())
                    .build();

            // When
            Occurrence evicted = reader.occurrences(PodMapper.toPodState(pod)).get(0);

            // Then
            assertThat(evicted.event().uid()).isEqualTo("test/" + KAFKA_POD + "/Evicted");
        }
    }
}
