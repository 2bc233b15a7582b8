package io.kubesentry.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.kubernetes.PodMapper;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.podstatus.PodStatusReader;
import io.kubesentry.podstatus.RootCauses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The threshold count is the number of happenings (failed pulls, restarts, probe failures), read from the
 * kubelet's own counters, on the sequences real clusters wrote (shared/examples): the same classifier, root
 * causes and Pod status reader as the routes, one object and reason at a time, as the aggregate counts.
 */
@DisplayName("Thresholds count attempts, not signals")
class AttemptCountingTest {

    private static final Instant SEEN = Instant.parse("2018-05-03T10:00:00Z");
    private static final EventClassifier CLASSIFIER = new EventClassifier();
    private static final ThresholdGate THRESHOLDS = new ThresholdGate(Thresholds.defaults(), AgentMetrics.none());

    // kubernetes/kubernetes#63393, kubelet on node6
    private static final String PULL_POD = "data-transfer-web-7dc566774d-6xjrg";
    private static final String IMAGE = "192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT";
    private static final String PULL_FAILED = "Failed to pull image \"" + IMAGE + "\": rpc error: code = Unknown desc"
            + " = Error: image youben/data-transfer:1.0-SNAPSHOT not found";

    /** The kubelet's Event about the pod's container {@code app}: one Event object per uid, its count growing. */
    private static Occurrence event(String uid, String type, String reason, String message, long count) {
        InvolvedObject object = new InvolvedObject("Pod", "shop", PULL_POD, "pod-uid", "spec.containers{app}");
        return CLASSIFIER.classify(new ClusterEvent(uid, "shop", object, reason, message, type, count, SEEN,
                SEEN.plusSeconds(count), "node6", "kubelet"));
    }

    /** What the Pod status says of container {@code app}: the reader's occurrences. */
    private static List<Occurrence> status(ContainerStatusBuilder container) {
        Pod pod = new PodBuilder().withNewMetadata().withName(PULL_POD).withNamespace("shop").withUid("pod-uid")
                .endMetadata().withNewSpec().withNodeName("node6").addNewContainer().withName("app").withImage(IMAGE)
                .endContainer().endSpec().withNewStatus().withPhase("Pending")
                .withContainerStatuses(container.withName("app").withImage(IMAGE).build()).endStatus().build();
        return new PodStatusReader().occurrences(PodMapper.toPodState(pod));
    }

    private static long count(List<Occurrence> signals) {
        CountedOccurrence counted = CountedOccurrence.first(signals.get(0));
        for (Occurrence signal : signals.subList(1, signals.size())) {
            counted = counted.next(signal);
        }
        return counted.count();
    }

    private static CountedOccurrence counted(List<Occurrence> signals) {
        CountedOccurrence counted = CountedOccurrence.first(signals.get(0));
        for (Occurrence signal : signals.subList(1, signals.size())) {
            counted = counted.next(signal);
        }
        return counted;
    }

    @Nested
    @DisplayName("an image pull (kubernetes#63393)")
    class ImagePull {

        /** One failed pull: Failed x2, a Failed "Error: ImagePullBackOff", a Normal BackOff, the waiting state. */
        private List<Occurrence> attempt(int n) {
            List<Occurrence> signals = new ArrayList<>();
            signals.add(event("pull-failed", "Warning", "Failed", PULL_FAILED, n));
            signals.add(event("err-image-pull", "Warning", "Failed", "Error: ErrImagePull", n));
            signals.addAll(status(new ContainerStatusBuilder().withRestartCount(0).withNewState().withNewWaiting()
                    .withReason("ErrImagePull").withMessage("rpc error: code = Unknown desc = Error: image "
                            + "youben/data-transfer:1.0-SNAPSHOT not found").endWaiting().endState()));
            signals.add(event("back-off", "Normal", "BackOff", "Back-off pulling image \"" + IMAGE + "\"", n * 2L));
            signals.add(event("pull-back-off", "Warning", "Failed", "Error: ImagePullBackOff", n * 2L));
            signals.addAll(status(new ContainerStatusBuilder().withRestartCount(0).withNewState().withNewWaiting()
                    .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"" + IMAGE + "\"")
                    .endWaiting().endState()));
            return signals;
        }

        @Test
        @DisplayName("every signal of it is an ImagePullBackOff of the one container")
        void oneReason() {
            assertThat(attempt(1)).hasSize(6).extracting(Occurrence::reason).containsOnly("ImagePullBackOff");
        }

        @ParameterizedTest(name = "shuffled with seed {0}")
        @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
        @DisplayName("the six signals of the first failed pull count once, in any order, below the threshold of 3")
        void firstAttemptCountsOnce(long seed) {
            // Given
            List<Occurrence> signals = attempt(1);
            Collections.shuffle(signals, new Random(seed));

            // When
            CountedOccurrence counted = counted(signals);

            // Then
            assertThat(counted.count()).isEqualTo(1);
            assertThat(THRESHOLDS.isReached(counted)).isFalse();
        }

        @Test
        @DisplayName("\"Failed to pull image (x3)\" with \"Error: ErrImagePull (x3)\" is three failed pulls: the threshold")
        void thirdAttemptReaches() {
            // Given: the Event objects grow with each attempt (MODIFIED), the back-off ones faster
            List<Occurrence> signals = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                signals.addAll(attempt(n));
            }
            CountedOccurrence afterTwo = counted(signals.subList(0, 12));

            // When
            CountedOccurrence afterThree = counted(signals);

            // Then
            assertThat(afterTwo.count()).isEqualTo(2);
            assertThat(THRESHOLDS.isReached(afterTwo)).isFalse();
            assertThat(afterThree.count()).isEqualTo(3);
            assertThat(THRESHOLDS.isReached(afterThree)).isTrue();
        }

        @Test
        @DisplayName("a re-delivered Event adds nothing; a count first seen at 3 is three")
        void redeliveryAndFirstSight() {
            assertThat(count(List.of(event("a", "Warning", "Failed", PULL_FAILED, 2),
                    event("a", "Warning", "Failed", PULL_FAILED, 2),
                    event("a", "Warning", "Failed", PULL_FAILED, 1)))).isEqualTo(2);
            assertThat(count(List.of(event("a", "Warning", "Failed", PULL_FAILED, 3)))).isEqualTo(3);
        }

        @Test
        @DisplayName("failed pulls whose errors differ are separate Event objects of one kind: they add up")
        void differentErrorsAddUp() {
            // Given: a timeout, then twice not found (two Event objects), each with its ErrImagePull
            List<Occurrence> signals = List.of(
                    event("timeout", "Warning", "Failed", "Failed to pull image \"" + IMAGE + "\": rpc error: code ="
                            + " Unknown desc = dial tcp 192.168.1.225:5000: i/o timeout", 1),
                    event("err", "Warning", "Failed", "Error: ErrImagePull", 1),
                    event("not-found", "Warning", "Failed", PULL_FAILED, 1),
                    event("err", "Warning", "Failed", "Error: ErrImagePull", 2),
                    event("not-found", "Warning", "Failed", PULL_FAILED, 2),
                    event("err", "Warning", "Failed", "Error: ErrImagePull", 3));

            // When / Then
            assertThat(count(signals)).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("a kind remembers 32 Event objects; older ones are folded into its total, not forgotten")
    void boundedSources() {
        // Given: 40 failed pulls, each with an error of its own (40 Event objects of one kind)
        List<Occurrence> signals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            signals.add(event("pull-" + i, "Warning", "Failed", "Failed to pull image \"" + IMAGE + "\": attempt " + i, 1));
        }

        // When
        CountedOccurrence counted = counted(signals);

        // Then
        assertThat(counted.count()).isEqualTo(40);
        assertThat(counted.happenings().byKind().values()).singleElement()
                .satisfies(sources -> assertThat(sources.counts()).hasSize(Happenings.SOURCES_PER_KIND));
    }

    @Nested
    @DisplayName("a crash loop (kubernetes#113215, dashboard#3254)")
    class CrashLoop {

        private static Occurrence backOff(long count) {
            return event("back-off", "Warning", "BackOff", "Back-off restarting failed container app in pod "
                    + PULL_POD + "_shop(pod-uid)", count);
        }

        private static List<Occurrence> waiting(int restarts) {
            return status(new ContainerStatusBuilder().withRestartCount(restarts).withNewState().withNewWaiting()
                    .withReason("CrashLoopBackOff").withMessage("back-off 40s restarting failed container=app pod="
                            + PULL_POD + "_shop(pod-uid)").endWaiting().endState().withNewLastState()
                    .withNewTerminated().withReason("Error").withExitCode(1).withFinishedAt("2018-05-03T10:00:00Z")
                    .endTerminated().endLastState());
        }

        @Test
        @DisplayName("BackOff (x72) is the back-off of a restart, not 72 restarts: one happening")
        void backOffCountIsNoRestartCount() {
            CountedOccurrence counted = CountedOccurrence.first(backOff(72));

            assertThat(counted.occurrence().reason()).isEqualTo("BackOff");
            assertThat(counted.count()).isEqualTo(1);
            assertThat(THRESHOLDS.isReached(counted)).isFalse();
        }

        @Test
        @DisplayName("the restarts are the status's restartCount; the BackOff named after it counts as one of them")
        void restartsFromStatus() {
            // Given: the status of the 4th restart teaches RootCauses the cause, then the BackOff (x72) comes
            RootCauses causes = new RootCauses(Duration.ofMinutes(5), 100);
            Occurrence crashLoop = causes.attribute(waiting(4).get(0));
            Occurrence renamed = causes.attribute(backOff(72));

            // When
            CountedOccurrence backOffFirst = CountedOccurrence.first(renamed).next(crashLoop);
            CountedOccurrence statusFirst = CountedOccurrence.first(crashLoop).next(renamed);

            // Then
            assertThat(renamed.reason()).isEqualTo("CrashLoopBackOff");
            assertThat(backOffFirst.count()).isEqualTo(4);
            assertThat(statusFirst.count()).isEqualTo(4);
            assertThat(CountedOccurrence.first(renamed).count()).isEqualTo(1);
        }

        @Test
        @DisplayName("Unhealthy (x100) is a hundred probe failures; liveness and readiness are not added together")
        void probeFailures() {
            Occurrence liveness = event("liveness", "Warning", "Unhealthy", "Liveness probe failed: Get "
                    + "https://192.168.3.82:8443/: dial tcp 192.168.3.82:8443: connect: connection refused", 100);
            Occurrence readiness = event("readiness", "Warning", "Unhealthy", "Readiness probe failed: Get "
                    + "https://192.168.3.82:8443/: dial tcp 192.168.3.82:8443: connect: connection refused", 90);

            assertThat(count(List.of(liveness))).isEqualTo(100);
            assertThat(count(List.of(readiness, liveness))).isEqualTo(100);
        }
    }

    @Nested
    @DisplayName("OOM kills")
    class OomKills {

        private static List<Occurrence> oomKilled(String containerId, int restarts) {
            return status(new ContainerStatusBuilder().withRestartCount(restarts).withNewState().withNewWaiting()
                    .withReason("CrashLoopBackOff").endWaiting().endState().withNewLastState().withNewTerminated()
                    .withReason("OOMKilled").withExitCode(137).withContainerID(containerId)
                    .withFinishedAt("2024-09-28T00:59:31Z").endTerminated().endLastState());
        }

        @Test
        @DisplayName("each terminated container is one kill; the same one seen again is not another")
        void terminations() {
            List<Occurrence> signals = new ArrayList<>();
            signals.addAll(oomKilled("containerd://aaa", 1));
            signals.addAll(oomKilled("containerd://aaa", 1));
            signals.addAll(oomKilled("containerd://bbb", 2));

            assertThat(signals).extracting(Occurrence::reason).containsOnly("OOMKilled");
            assertThat(count(signals)).isEqualTo(2);
        }

        @Test
        @DisplayName("node-problem-detector's OOMKilling on a node: each kill its own Event (kubernikus#321)")
        void nodeKills() {
            InvolvedObject node = new InvolvedObject("Node", "", "worker-1", "worker-1", "");
            List<Occurrence> signals = List.of(25169, 25170).stream().map(pid -> CLASSIFIER.classify(new ClusterEvent(
                    "kill-" + pid, "default", node, "OOMKilling", "Memory cgroup out of memory: Kill process " + pid
                            + " (hyperkube) score 2109 or sacrifice child", "Warning", 1, SEEN, SEEN, "worker-1",
                    "kernel-monitor"))).toList();

            assertThat(signals).extracting(Occurrence::reason).containsOnly("OOMKilled");
            assertThat(count(signals)).isEqualTo(2);
        }
    }
}
