package io.kubesentry.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TroubleshootingRendererTest {

    private static final Instant SEEN = Instant.parse("2022-10-20T10:00:00Z");

    private final TroubleshootingRenderer renderer = new TroubleshootingRenderer();

    private final Troubleshooting template = new Troubleshooting("BackOff", Severity.ERROR,
            "A container keeps failing.",
            List.of("It exits", "It is killed"),
            List.of("kubectl describe pod {pod} -n {namespace}",
                    "kubectl logs {pod} -n {namespace} -c {container} --previous",
                    "kubectl describe node {node}",
                    "kubectl get events -n {namespace} --field-selector involvedObject.name={name}",
                    "kubectl describe {kind} {name} -n {namespace}",
                    "kubectl rollout history {workloadKind}/{workload} -n {namespace}",
                    "kubectl get nodes"),
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/");

    @Test
    @DisplayName("fills every placeholder with the occurrence's real names")
    void fillsRealNames() {
        // Given: a crash-looping container of a Deployment's pod on node cloud-dev
        Occurrence occurrence = podOccurrence("spec.containers{manager}", "cloud-dev")
                .withWorkload(new Workload("Deployment", "xxx-controller-manager"), null);

        // When
        RenderedTroubleshooting rendered = renderer.render(template, occurrence);

        // Then
        assertThat(rendered.debugCommands()).containsExactly(
                "kubectl describe pod xxx-controller-manager-7c8fcd5fff-4fprb -n xxx",
                "kubectl logs xxx-controller-manager-7c8fcd5fff-4fprb -n xxx -c manager --previous",
                "kubectl describe node cloud-dev",
                "kubectl get events -n xxx --field-selector involvedObject.name=xxx-controller-manager-7c8fcd5fff-4fprb",
                "kubectl rollout history deployment/xxx-controller-manager -n xxx",
                "kubectl get nodes");
        assertThat(rendered.description()).isEqualTo(template.description());
        assertThat(rendered.likelyCauses()).isEqualTo(template.likelyCauses());
        assertThat(rendered.runbookUrl()).isEqualTo(template.runbookUrl());
    }

    @Test
    @DisplayName("renders workloadKind and kind lowercased, as kubectl resource names")
    void lowercasesKinds() {
        // Given
        Occurrence occurrence = podOccurrence("", "node-1").withWorkload(new Workload("StatefulSet", "db"), null);
        Troubleshooting kinds = withCommands("kubectl describe {workloadKind} {workload} -n {namespace}",
                "kubectl get {kind} {name} -n {namespace}");

        // When
        List<String> commands = renderer.render(kinds, occurrence).debugCommands();

        // Then
        assertThat(commands).containsExactly(
                "kubectl describe statefulset db -n xxx",
                "kubectl get pod xxx-controller-manager-7c8fcd5fff-4fprb -n xxx");
    }

    @Test
    @DisplayName("leaves jsonpath braces alone")
    void keepsJsonpath() {
        // Given
        Troubleshooting jsonpath = withCommands("kubectl get pod {pod} -n {namespace} -o jsonpath='{.spec.imagePullSecrets}'");

        // When
        List<String> commands = renderer.render(jsonpath, podOccurrence("", "node-1")).debugCommands();

        // Then
        assertThat(commands).containsExactly(
                "kubectl get pod xxx-controller-manager-7c8fcd5fff-4fprb -n xxx -o jsonpath='{.spec.imagePullSecrets}'");
    }

    @Nested
    @DisplayName("commands whose placeholder has no value are left out")
    class MissingValues {

        @Test
        @DisplayName("an unscheduled pod has no node")
        void noNode() {
            // When
            List<String> commands = renderer.render(template, podOccurrence("spec.containers{manager}", ""))
                    .debugCommands();

            // Then
            assertThat(commands).noneMatch(command -> command.contains("node "))
                    .contains("kubectl describe pod xxx-controller-manager-7c8fcd5fff-4fprb -n xxx");
        }

        @Test
        @DisplayName("an event without a container fieldPath has no container")
        void noContainer() {
            // When
            List<String> commands = renderer.render(template, podOccurrence("", "cloud-dev")).debugCommands();

            // Then
            assertThat(commands).noneMatch(command -> command.contains(" -c "))
                    .contains("kubectl describe node cloud-dev");
        }

        @Test
        @DisplayName("a Node event has no pod or container, and names its node")
        void nodeEvent() {
            // Given: node-problem-detector's OOMKilling, reported without a kubelet host
            InvolvedObject node = new InvolvedObject("Node", "", "worker-3", "n-uid", "");
            ClusterEvent event = new ClusterEvent("e-uid", "default", node, "OOMKilling",
                    "Memory cgroup out of memory: Kill process 25169 (hyperkube) score 2109 or sacrifice child",
                    "Warning", 1, SEEN, SEEN, "", "kernel-monitor");
            Occurrence occurrence = new EventClassifier().classify(event);

            // When
            List<String> commands = renderer.render(template, occurrence).debugCommands();

            // Then
            assertThat(commands).containsExactly(
                    "kubectl describe node worker-3",
                    "kubectl get events -n default --field-selector involvedObject.name=worker-3",
                    "kubectl describe node worker-3 -n default",
                    "kubectl get nodes");
        }

        @Test
        @DisplayName("rollout commands are kept only for kinds that have rollouts")
        void noRolloutForBarePod() {
            // Given: a pod nobody owns is its own workload
            Occurrence bare = podOccurrence("spec.containers{manager}", "cloud-dev");

            // When
            List<String> commands = renderer.render(template, bare).debugCommands();

            // Then
            assertThat(commands).noneMatch(command -> command.startsWith("kubectl rollout"));
        }

        @Test
        @DisplayName("a rendered command never contains a placeholder or an empty value")
        void noBlanks() {
            // Given
            Troubleshooting standard = KnowledgeBase.standard().find(Reasons.OOM_KILLED).orElseThrow();

            // When
            List<String> commands = renderer.render(standard, podOccurrence("", "")).debugCommands();

            // Then
            assertThat(commands).isNotEmpty()
                    .noneMatch(command -> command.matches(".*\\{\\w+}.*"))
                    .noneMatch(command -> command.contains("  ") || command.endsWith(" "));
        }
    }

    private static Occurrence podOccurrence(String fieldPath, String node) {
        InvolvedObject pod = new InvolvedObject("Pod", "xxx", "xxx-controller-manager-7c8fcd5fff-4fprb", "p-uid",
                fieldPath);
        ClusterEvent event = new ClusterEvent("e-uid", "xxx", pod, "BackOff",
                "Back-off restarting failed container manager", "Warning", 72, SEEN, SEEN, node, "kubelet");
        return new EventClassifier().classify(event);
    }

    private static Troubleshooting withCommands(String... commands) {
        return new Troubleshooting("Custom", Severity.WARNING, "Custom.", List.of("a", "b"), List.of(commands),
                "https://kubernetes.io/docs/tasks/debug/");
    }
}
