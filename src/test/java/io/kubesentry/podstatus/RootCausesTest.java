package io.kubesentry.podstatus;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerSnapshot;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RootCauses names a container's back-off signals after the cause read from its pod's status")
class RootCausesTest {

    private static final Duration MEMORY = Duration.ofMinutes(30);
    /** The opa pod of k8sgpt-ai/k8sgpt#792. */
    private static final String NAMESPACE = "opa";
    private static final String POD = "opa-849dcb7499-9chrt";
    private static final String POD_UID = "7f8061d3-3603-49d6-8e03-77cb4b1bbed4";
    private static final Instant SEEN = Instant.parse("2023-12-15T10:15:00Z");

    /** Nanoseconds of a clock that only moves when the test says so. */
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final RootCauses rootCauses = new RootCauses(MEMORY, 1_000, ticker);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** The kubelet's Warning BackOff Event for a restarting container, as the classifier names it. */
    private static Occurrence backOff(String pod, String container) {
        return eventOccurrence("Pod", NAMESPACE, pod, "spec.containers{" + container + "}", "BackOff",
                "Back-off restarting failed container " + container + " in pod " + pod + "_opa(" + POD_UID + ")");
    }

    private static Occurrence eventOccurrence(String kind, String namespace, String name, String fieldPath,
            String reason, String message) {
        InvolvedObject object = new InvolvedObject(kind, namespace, name, POD_UID, fieldPath);
        ClusterEvent event = new ClusterEvent("8d2b0f6e-5a1c-4c1e-9a57-0d3b5d1c2e11", namespace, object, reason,
                message, "Warning", 72, SEEN.minusSeconds(1200), SEEN, "node-1", "kubelet");
        return new Occurrence(event, reason, Workload.of(object), "node-1");
    }

    /** What PodStatusReader reads from a container's state. */
    private static Occurrence statusOccurrence(String pod, String container, String reason, String lastTermination,
            int exitCode) {
        InvolvedObject object = new InvolvedObject("Pod", NAMESPACE, pod, POD_UID, "spec.containers{" + container + "}");
        String backOff = "back-off 5m0s restarting failed container=" + container + " pod=" + pod + "_opa(" + POD_UID
                + ")";
        String message = reason.equals("OOMKilled")
                ? "Container " + container + " was OOMKilled (exit code 137) with a memory limit of 128Mi; " + backOff
                : backOff;
        ClusterEvent event = new ClusterEvent(POD_UID + "/" + container + "/" + reason, NAMESPACE, object, reason,
                message, "Warning", 5, SEEN, SEEN, "node-1", "pod-status");
        ContainerSnapshot snapshot = new ContainerSnapshot(container, false, "openpolicyagent/opa:0.59.0", 5,
                lastTermination, exitCode, "2023-12-15T10:09:58Z", "2023-12-15T10:10:01Z", Map.of("memory", "64Mi"),
                Map.of("memory", "128Mi"));
        return new Occurrence(event, reason, Workload.of(object), "node-1", Optional.of(snapshot));
    }

    private static Occurrence oomKilled(String pod, String container) {
        return statusOccurrence(pod, container, "OOMKilled", "OOMKilled", 137);
    }

    private static Occurrence crashLoop(String pod, String container) {
        return statusOccurrence(pod, container, "CrashLoopBackOff", "Error", 1);
    }

    @Test
    @DisplayName("a BackOff of a container with no known cause stays BackOff")
    void backOffWithoutCause() {
        // Given
        Occurrence backOff = backOff(POD, "opa");

        // When
        Occurrence attributed = rootCauses.attribute(backOff);

        // Then
        assertThat(attributed.reason()).isEqualTo("BackOff");
        assertThat(attributed).isSameAs(backOff);
    }

    @Test
    @DisplayName("a BackOff after a CrashLoopBackOff of the same container becomes CrashLoopBackOff")
    void backOffAfterCrashLoop() {
        // Given
        Occurrence crashLoop = rootCauses.attribute(crashLoop(POD, "opa"));

        // When
        Occurrence attributed = rootCauses.attribute(backOff(POD, "opa"));

        // Then
        assertThat(crashLoop.reason()).isEqualTo("CrashLoopBackOff");
        assertThat(attributed.reason()).isEqualTo("CrashLoopBackOff");
    }

    @ParameterizedTest(name = "{0} after an OOMKilled -> OOMKilled")
    @ValueSource(strings = {"CrashLoopBackOff", "BackOff"})
    @DisplayName("a crash-loop signal after an OOMKilled of the same container becomes OOMKilled")
    void crashLoopSignalsAfterOomKill(String reason) {
        // Given
        Occurrence oomKilled = rootCauses.attribute(oomKilled(POD, "opa"));
        Occurrence signal = reason.equals("BackOff") ? backOff(POD, "opa") : crashLoop(POD, "opa");

        // When
        Occurrence attributed = rootCauses.attribute(signal);

        // Then
        assertThat(oomKilled.reason()).isEqualTo("OOMKilled");
        assertThat(attributed.reason()).isEqualTo("OOMKilled");
    }

    @Test
    @DisplayName("a renamed BackOff keeps its own identity and takes the cause's container state and explanation")
    void renamedKeepsIdentityAndTakesTheCause() {
        // Given
        Occurrence cause = rootCauses.attribute(oomKilled(POD, "opa"));
        Occurrence backOff = backOff(POD, "opa");

        // When
        Occurrence attributed = rootCauses.attribute(backOff);

        // Then: the delivery key (uid, count, lastSeen) is the Event's, so its own dedup still works
        assertThat(attributed.reason()).isEqualTo("OOMKilled");
        assertThat(attributed.event().uid()).isEqualTo(backOff.event().uid());
        assertThat(attributed.event().count()).isEqualTo(72);
        assertThat(attributed.event().lastSeen()).isEqualTo(SEEN);
        assertThat(attributed.event().source()).isEqualTo("kubelet");
        assertThat(attributed.message())
                .contains(cause.message())
                .contains("Back-off restarting failed container opa in pod opa-849dcb7499-9chrt_opa(" + POD_UID + ")");
        assertThat(attributed.workload()).isEqualTo(backOff.workload());
        assertThat(attributed.node()).isEqualTo("node-1");
        assertThat(attributed.container()).isEqualTo(cause.container());
        assertThat(attributed.container()).get().extracting(ContainerSnapshot::exitCode).isEqualTo(137);
    }

    @Test
    @DisplayName("an OOMKilled stays OOMKilled, and a later CrashLoopBackOff does not demote the cause")
    void oomKillIsNotDemoted() {
        // Given
        rootCauses.attribute(oomKilled(POD, "opa"));
        rootCauses.attribute(crashLoop(POD, "opa"));

        // When
        Occurrence backOff = rootCauses.attribute(backOff(POD, "opa"));
        Occurrence oomKilledAgain = rootCauses.attribute(oomKilled(POD, "opa"));

        // Then
        assertThat(backOff.reason()).isEqualTo("OOMKilled");
        assertThat(oomKilledAgain.reason()).isEqualTo("OOMKilled");
    }

    @Test
    @DisplayName("a CrashLoopBackOff cause is upgraded when the container is then OOMKilled")
    void crashLoopUpgradedToOomKill() {
        // Given
        rootCauses.attribute(crashLoop(POD, "opa"));

        // When
        rootCauses.attribute(oomKilled(POD, "opa"));
        Occurrence backOff = rootCauses.attribute(backOff(POD, "opa"));

        // Then
        assertThat(backOff.reason()).isEqualTo("OOMKilled");
    }

    @Nested
    @DisplayName("Edge cases: what a cause does not reach")
    class Untouched {

        @ParameterizedTest(name = "BackOff of {0}/{1} in {2} after an OOMKilled of opa-849dcb7499-9chrt/opa in opa")
        @CsvSource({
            "opa-849dcb7499-9chrt, kube-mgmt, opa",
            "opa-849dcb7499-x7k2p, opa,       opa",
            "opa-849dcb7499-9chrt, opa,       opa-staging"})
        @DisplayName("other containers, other pods and pods of the same name in other namespaces keep BackOff")
        void otherContainersAndPods(String pod, String container, String namespace) {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));
            Occurrence backOff = eventOccurrence("Pod", namespace, pod, "spec.containers{" + container + "}",
                    "BackOff", "Back-off restarting failed container " + container);

            // When
            Occurrence attributed = rootCauses.attribute(backOff);

            // Then
            assertThat(attributed.reason()).isEqualTo("BackOff");
        }

        @Test
        @DisplayName("an init container and a container of the same name share the cause: names are unique in a pod")
        void initContainerFieldPath() {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));
            Occurrence backOff = eventOccurrence("Pod", NAMESPACE, POD, "spec.initContainers{opa}", "BackOff",
                    "Back-off restarting failed container opa");

            // When
            Occurrence attributed = rootCauses.attribute(backOff);

            // Then
            assertThat(attributed.reason()).isEqualTo("OOMKilled");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"OOMKilled", "CrashLoopBackOff"})
        @DisplayName("an occurrence not read from a Pod's status (no container state) names no cause")
        void causesComeFromPodStatus(String reason) {
            // Given
            Occurrence fromAnEvent = eventOccurrence("Pod", NAMESPACE, POD, "spec.containers{opa}", reason,
                    "Container opa was " + reason);

            // When
            Occurrence attributed = rootCauses.attribute(fromAnEvent);
            Occurrence backOff = rootCauses.attribute(backOff(POD, "opa"));

            // Then
            assertThat(attributed.reason()).isEqualTo(reason);
            assertThat(backOff.reason()).isEqualTo("BackOff");
        }

        @Test
        @DisplayName("a pod occurrence without a container in its fieldPath is returned untouched")
        void podWithoutContainer() {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));
            Occurrence backOff = eventOccurrence("Pod", NAMESPACE, POD, "", "BackOff",
                    "Back-off restarting failed container");

            // When
            Occurrence attributed = rootCauses.attribute(backOff);

            // Then
            assertThat(attributed).isSameAs(backOff);
        }

        @Test
        @DisplayName("a Node OOMKilling (node-problem-detector) is untouched and names no pod's crash loop")
        void nodeOccurrence() {
            // Given
            Occurrence nodeOom = new Occurrence(new ClusterEvent("c0ffee00-0000-4000-8000-000000000001", "",
                    new InvolvedObject("Node", "", "node-1", "", ""), "OOMKilling",
                    "Memory cgroup out of memory: Kill process 2946 (java) score 1000 or sacrifice child",
                    "Warning", 1, SEEN, SEEN, "node-1", "kernel-monitor"), "OOMKilled",
                    new Workload("Node", "node-1"), "node-1");

            // When
            Occurrence attributed = rootCauses.attribute(nodeOom);
            Occurrence backOff = rootCauses.attribute(backOff(POD, "opa"));

            // Then
            assertThat(attributed).isSameAs(nodeOom);
            assertThat(backOff.reason()).isEqualTo("BackOff");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                Unhealthy        | Liveness probe failed: Get "http://10.244.1.7:8181/health": dial tcp 10.244.1.7:8181: connect: connection refused
                ImagePullBackOff | Back-off pulling image "openpolicyagent/opa:0.59.0"
                FailedMount      | MountVolume.SetUp failed for volume "opa-policies" : configmap "opa-policies" not found
                """)
        @DisplayName("other reasons of an OOMKilled container keep their own name")
        void otherReasons(String reason, String message) {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));
            Occurrence other = eventOccurrence("Pod", NAMESPACE, POD, "spec.containers{opa}", reason, message);

            // When
            Occurrence attributed = rootCauses.attribute(other);

            // Then
            assertThat(attributed).isSameAs(other);
        }
    }

    @Nested
    @DisplayName("Edge cases: how long a cause is remembered")
    class Memory {

        @ParameterizedTest(name = "{0} after the OOMKilled -> {1}")
        @CsvSource({"PT0S, OOMKilled", "PT29M59S, OOMKilled", "PT30M, BackOff", "PT2H, BackOff"})
        @DisplayName("a cause is forgotten once the memory window has passed since it was read")
        void forgetsAfterTheWindow(Duration elapsed, String expected) {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));

            // When
            advance(elapsed);
            Occurrence attributed = rootCauses.attribute(backOff(POD, "opa"));

            // Then
            assertThat(attributed.reason()).isEqualTo(expected);
        }

        @Test
        @DisplayName("each re-read of the OOMKilled status starts the window again")
        void reReadRefreshes() {
            // Given: the pod is MODIFIED every 20 minutes and still shows the OOM kill
            rootCauses.attribute(oomKilled(POD, "opa"));
            advance(Duration.ofMinutes(20));
            rootCauses.attribute(oomKilled(POD, "opa"));

            // When: 40 minutes after the first read, 20 after the last
            advance(Duration.ofMinutes(20));
            Occurrence attributed = rootCauses.attribute(backOff(POD, "opa"));

            // Then
            assertThat(attributed.reason()).isEqualTo("OOMKilled");
        }

        @Test
        @DisplayName("a BackOff named after a remembered cause does not extend the memory")
        void backOffDoesNotRefresh() {
            // Given
            rootCauses.attribute(oomKilled(POD, "opa"));
            advance(Duration.ofMinutes(20));
            rootCauses.attribute(backOff(POD, "opa"));

            // When
            advance(Duration.ofMinutes(20));
            Occurrence attributed = rootCauses.attribute(backOff(POD, "opa"));

            // Then
            assertThat(attributed.reason()).isEqualTo("BackOff");
        }
    }
}
