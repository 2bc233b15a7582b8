package io.kubesentry.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventClassifierTest {

    private static final Instant SEEN = Instant.parse("2018-05-03T08:00:00Z");

    private final EventClassifier classifier = new EventClassifier();

    /** Type, reason, involved kind and message exactly as printed in /work/shared/examples. */
    static Stream<Arguments> realClusterEvents() {
        return Stream.of(
                // imagepullbackoff__kubernetes-issue-63393.txt: one image pull failure, four events
                arguments("Warning", "Failed", "Pod", "Failed to pull image \"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\": rpc error: code = Unknown desc = Error: image youben/data-transfer:1.0-SNAPSHOT not found", "ImagePullBackOff"),
                arguments("Warning", "Failed", "Pod", "Error: ErrImagePull", "ImagePullBackOff"),
                arguments("Warning", "Failed", "Pod", "Error: ImagePullBackOff", "ImagePullBackOff"),
                arguments("Normal", "BackOff", "Pod", "Back-off pulling image \"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\"", "ImagePullBackOff"),
                arguments("Normal", "Pulling", "Pod", "pulling image \"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\"", "Pulling"),
                arguments("Normal", "SandboxChanged", "Pod", "Pod sandbox changed, it will be killed and re-created.", "SandboxChanged"),
                // imagepullbackoff__node-feature-discovery-issue-1229.txt: containerd's wording (truncated in the sample)
                arguments("Warning", "Failed", "Pod", "Failed to pull image \"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": rpc error: code = Unknown desc = failed to pull and unpack image \"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": failed to resolve reference \"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": failed to do request: Head \"https://europe-west2-docker.pkg.dev/v2/k8s-artifacts-prod/images/nfd/node-feature-discovery/manifests/v0.12.1\": dial tcp 108.17", "ImagePullBackOff"),
                arguments("Normal", "BackOff", "Pod", "Back-off pulling image \"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\"", "ImagePullBackOff"),
                arguments("Normal", "SuccessfulCreate", "DaemonSet", "Created pod: gpu-operator-node-feature-discovery-worker-l54n9", "SuccessfulCreate"),
                // backoff-crashloop__kubernetes-issue-113215.txt
                arguments("Warning", "BackOff", "Pod", "Back-off restarting failed container manager", "BackOff"),
                arguments("Normal", "Pulled", "Pod", "Container image \"gcr.io/kubebuilder/kube-rbac-proxy:v0.13.0\" already present on machine", "Pulled"),
                // backoff-crashloop+unhealthy__dashboard-issue-3254.txt
                arguments("Warning", "Unhealthy", "Pod", "Liveness probe failed: Get https://192.168.3.82:8443/: dial tcp 192.168.3.82:8443: connect: connection refused", "Unhealthy"),
                // failedscheduling__sapcc-helm-charts-pr548.txt
                arguments("Warning", "FailedScheduling", "Pod", "No nodes are available that match all of the predicates: Insufficient cpu (19), Insufficient memory (19), PodToleratesNodeTaints (10).", "FailedScheduling"),
                // failedmount__kubernetes-issue-31768.txt
                arguments("Warning", "FailedMount", "Pod", "Unable to mount volumes for pod \"spartakus-collector-3999054429-atph7_default(95609653-6f30-11e6-8513-42010a800005)\": timeout expired waiting for volumes to attach/mount for pod \"spartakus-collector-3999054429-atph7\"/\"default\". list of unattached/unmounted volumes=[bigquery]", "FailedMount"),
                arguments("Warning", "FailedSync", "Pod", "Error syncing pod, skipping: timeout expired waiting for volumes to attach/mount for pod \"spartakus-collector-3999054429-atph7\"/\"default\". list of unattached/unmounted volumes=[bigquery]", "FailedSync"),
                // evicted__go-learning-issue-55.txt and evicted-message-format__kubernetes-pr63415.txt
                arguments("Warning", "Evicted", "Pod", "The node was low on resource: ephemeral-storage. Container harbor-chart-rsync-client was using 76Ki, which exceeds its request of 0. Container chartmuseum was using 856Ki, which exceeds its request of 0.", "Evicted"),
                arguments("Warning", "Evicted", "Pod", "The node was low on resource: memory. Container high-priority-memory-hog was using 166088Ki, which exceeds its request of 10Mi.", "Evicted"),
                // oomkilling-node__kubernikus-pr321.txt, with node-problem-detector's default reason OOMKilling
                arguments("Warning", "OOMKilling", "Node", "Memory cgroup out of memory: Kill process 25169 (hyperkube) score 2109 or sacrifice child", "OOMKilled"));
    }

    /** Kubelet wordings the samples do not show, written as the kubelet formats them. */
    static Stream<Arguments> kubeletFormats() {
        return Stream.of(
                arguments("Warning", "Failed", "Pod", "Error: configmap \"x\" not found", "CreateContainerConfigError"),
                // the kubelet's API-backed (Get/Cache) managers report the plural resource name
                arguments("Warning", "Failed", "Pod", "Error: configmaps \"bigquery\" not found", "CreateContainerConfigError"),
                arguments("Warning", "Failed", "Pod", "Error: secret \"db-password\" not found", "CreateContainerConfigError"),
                arguments("Warning", "Failed", "Pod", "Error: couldn't find key DB_HOST in ConfigMap shop/settings", "CreateContainerConfigError"),
                arguments("Warning", "Failed", "Pod", "Error: container has runAsNonRoot and image will run as root (pod: \"api-0_shop(1f0c)\", container: api)", "CreateContainerConfigError"),
                arguments("Warning", "Failed", "Pod", "Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: exec: \"/app/start\": stat /app/start: no such file or directory: unknown", "CreateContainerError"),
                arguments("Warning", "InspectFailed", "Pod", "Failed to apply default image tag \"busyBOX\": couldn't parse image reference \"busyBOX\": invalid reference format: repository name must be lowercase", "ImagePullBackOff"),
                arguments("Warning", "Failed", "Pod", "Error: InvalidImageName", "ImagePullBackOff"),
                arguments("Warning", "ErrImageNeverPull", "Pod", "Container image \"api:dev\" is not present with pull policy of Never", "ImagePullBackOff"),
                arguments("Warning", "SystemOOM", "Node", "System OOM encountered, victim process: java, pid: 4242", "OOMKilled"),
                arguments("Warning", "FailedCreatePodSandBox", "Pod", "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox", "FailedCreatePodSandBox"));
    }

    @ParameterizedTest(name = "{0} {1}: {3} -> {4}")
    @MethodSource("realClusterEvents")
    @DisplayName("names the events real clusters printed with the reasons users configure")
    void classifiesRealClusterEvents(String type, String reason, String kind, String message, String expected) {
        // Given
        ClusterEvent event = event(type, reason, kind, message);

        // When
        String classified = classifier.reasonOf(event);

        // Then
        assertThat(classified).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}: {3} -> {4}")
    @MethodSource("kubeletFormats")
    @DisplayName("names the other kubelet wordings of the same failures")
    void classifiesKubeletFormats(String type, String reason, String kind, String message, String expected) {
        assertThat(classifier.reasonOf(event(type, reason, kind, message))).isEqualTo(expected);
    }

    @Test
    @DisplayName("classify keeps the event and sets the object as workload and the reporting node as node")
    void classifyBuildsOccurrence() {
        // Given
        ClusterEvent event = new ClusterEvent("uid-1", "kube-system",
                new InvolvedObject("Pod", "kube-system", "kubernetes-dashboard-5f48f6b647-cbhzz", "p-1",
                        "spec.containers{kubernetes-dashboard}"),
                "BackOff", "Back-off restarting failed container", "Warning", 373, SEEN, SEEN, "dk03", "kubelet");

        // When
        Occurrence occurrence = classifier.classify(event);

        // Then
        assertThat(occurrence.event()).isSameAs(event);
        assertThat(occurrence.reason()).isEqualTo(Reasons.BACK_OFF);
        assertThat(occurrence.workload()).isEqualTo(new Workload("Pod", "kubernetes-dashboard-5f48f6b647-cbhzz"));
        assertThat(occurrence.node()).isEqualTo("dk03");
    }

    private static ClusterEvent event(String type, String reason, String kind, String message) {
        InvolvedObject object = "Node".equals(kind)
                ? new InvolvedObject(kind, "", "worker-1", "n-1", "")
                : new InvolvedObject(kind, "default", "data-transfer-web-7dc566774d-6xjrg", "p-1", "");
        return new ClusterEvent("uid-1", "default", object, reason, message, type, 1, SEEN, SEEN, "node6", "kubelet");
    }
}
