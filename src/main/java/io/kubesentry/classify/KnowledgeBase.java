package io.kubesentry.classify;

import static io.kubesentry.classify.Reasons.*;
import static io.kubesentry.classify.Severity.ERROR;
import static io.kubesentry.classify.Severity.WARNING;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to tell an operator about each reported reason, kept as data in this one place. The entries are checked
 * when the knowledge base is built, so a typo in a placeholder fails at start-up rather than in an alert.
 */
public final class KnowledgeBase {

    static final String FALLBACK_RUNBOOK = "https://kubernetes.io/docs/tasks/debug/";

    private static final String DESCRIBE_POD = "kubectl describe pod {pod} -n {namespace}";
    private static final String POD_YAML = "kubectl get pod {pod} -n {namespace} -o yaml";
    private static final String PREVIOUS_LOGS = "kubectl logs {pod} -n {namespace} -c {container} --previous";
    private static final String OBJECT_EVENTS =
            "kubectl get events -n {namespace} --field-selector involvedObject.name={name}";
    private static final String DESCRIBE_NODE = "kubectl describe node {node}";
    private static final String ROLLOUT_HISTORY = "kubectl rollout history {workloadKind}/{workload} -n {namespace}";

    private static final List<Troubleshooting> STANDARD = List.of(
            new Troubleshooting(OOM_KILLED, ERROR,
                    "The kernel killed a container because it used more memory than its limit,"
                            + " or because the node itself ran out of memory.",
                    List.of("The memory limit is lower than the workload's real peak usage",
                            "A memory leak or an unbounded cache in the application",
                            "A runtime heap sized above the container limit (JVM -Xmx, Node.js --max-old-space-size)",
                            "Pods on the node request far less memory than they use, so the node ran out"),
                    List.of(DESCRIBE_POD,
                            PREVIOUS_LOGS,
                            "kubectl top pod {pod} -n {namespace} --containers",
                            DESCRIBE_NODE,
                            "kubectl top node {node}",
                            "kubectl get pods --all-namespaces --field-selector spec.nodeName={node}"),
                    "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/"),
            new Troubleshooting(CRASH_LOOP_BACK_OFF, ERROR,
                    "A container keeps exiting soon after it starts, and the kubelet waits longer before each"
                            + " restart, up to five minutes.",
                    List.of("The application fails at start-up: bad configuration, a missing environment variable"
                                    + " or an unreachable dependency",
                            "The container's command or arguments are wrong, or it exits because it has nothing to do",
                            "The container is OOMKilled (exit code 137) right after starting",
                            "A liveness probe kills the container before it is ready",
                            "A recent rollout changed the image or configuration"),
                    List.of(PREVIOUS_LOGS, DESCRIBE_POD, OBJECT_EVENTS, POD_YAML, ROLLOUT_HISTORY),
                    "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/"),
            new Troubleshooting(FAILED_SCHEDULING, ERROR,
                    "The scheduler found no node that can run the pod, so it stays Pending.",
                    List.of("CPU, memory or GPU requests larger than any node's free allocatable capacity",
                            "A node selector, affinity or topology spread constraint that no node satisfies",
                            "Node taints the pod does not tolerate",
                            "A PersistentVolumeClaim that is unbound or bound to a volume in another zone",
                            "The cluster autoscaler is at its maximum size or has no node group that fits"),
                    List.of(DESCRIBE_POD,
                            OBJECT_EVENTS,
                            "kubectl describe nodes | grep -A 8 'Allocated resources'",
                            "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints",
                            "kubectl get pvc -n {namespace}",
                            "kubectl top nodes"),
                    "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/"),
            new Troubleshooting(EVICTED, ERROR,
                    "The kubelet stopped the pod to reclaim memory, disk or process IDs on a node under"
                            + " resource pressure.",
                    List.of("The node ran low on memory, ephemeral storage or PIDs",
                            "Containers use more than they request; pods exceeding a request of 0 are evicted first",
                            "Logs, emptyDir volumes or writable container layers filled the node's disk",
                            "Too many pods are packed onto the node for their real usage"),
                    List.of(DESCRIBE_POD,
                            DESCRIBE_NODE,
                            "kubectl top node {node}",
                            "kubectl get pods -n {namespace} --field-selector status.phase=Failed",
                            OBJECT_EVENTS),
                    "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/"),
            new Troubleshooting(FAILED_MOUNT, ERROR,
                    "The kubelet could not attach or mount one of the pod's volumes, so its containers cannot"
                            + " start.",
                    List.of("A referenced ConfigMap, Secret or PersistentVolumeClaim does not exist in the namespace",
                            "A ReadWriteOnce volume is still attached to another node",
                            "The CSI driver or storage backend fails or is slow to attach",
                            "Wrong filesystem type, mount options or permissions for the volume"),
                    List.of(DESCRIBE_POD,
                            OBJECT_EVENTS,
                            "kubectl get pvc,configmaps,secrets -n {namespace}",
                            "kubectl get volumeattachments",
                            DESCRIBE_NODE),
                    "https://kubernetes.io/docs/concepts/storage/volumes/"),
            new Troubleshooting(UNHEALTHY, WARNING,
                    "A liveness, readiness or startup probe failed: failed liveness and startup probes restart the"
                            + " container, a failed readiness probe takes the pod out of its Services.",
                    List.of("The probe's path, port or command does not match what the application serves",
                            "The application starts slower than initialDelaySeconds or the startup probe allows",
                            "timeoutSeconds is too short for a slow or overloaded application",
                            "A dependency checked by the health endpoint (database, downstream API) is down",
                            "CPU throttling or garbage-collection pauses delay the probe's answer"),
                    List.of(DESCRIBE_POD,
                            "kubectl logs {pod} -n {namespace} -c {container}",
                            PREVIOUS_LOGS,
                            OBJECT_EVENTS,
                            "kubectl top pod {pod} -n {namespace} --containers"),
                    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"),
            new Troubleshooting(BACK_OFF, ERROR,
                    "The kubelet is waiting before it restarts a container that keeps failing, which the pod"
                            + " shows as CrashLoopBackOff.",
                    List.of("The application exits with an error at start-up",
                            "A ConfigMap, Secret or environment variable it needs is missing or wrong",
                            "The container is OOMKilled (exit code 137)",
                            "A failing liveness probe restarts the container",
                            "A recent rollout changed the image or configuration"),
                    List.of(PREVIOUS_LOGS,
                            DESCRIBE_POD,
                            OBJECT_EVENTS,
                            "kubectl describe {workloadKind} {workload} -n {namespace}",
                            ROLLOUT_HISTORY),
                    "https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/"),
            new Troubleshooting(IMAGE_PULL_BACK_OFF, ERROR,
                    "The kubelet cannot pull the container's image and waits longer between retries, so the"
                            + " container never starts.",
                    List.of("A typo in the image name, or a tag that does not exist in the registry",
                            "A private registry without imagePullSecrets, or with expired credentials",
                            "The node cannot reach the registry (DNS, firewall, proxy)",
                            "The registry rate-limits pulls (Docker Hub anonymous limits)",
                            "The image has no variant for the node's CPU architecture"),
                    List.of(DESCRIBE_POD,
                            OBJECT_EVENTS,
                            "kubectl get pod {pod} -n {namespace} -o jsonpath='{.spec.imagePullSecrets}'",
                            "kubectl get secrets -n {namespace} --field-selector type=kubernetes.io/dockerconfigjson",
                            ROLLOUT_HISTORY),
                    "https://kubernetes.io/docs/concepts/containers/images/"),
            new Troubleshooting(CREATE_CONTAINER_CONFIG_ERROR, ERROR,
                    "The kubelet cannot build the container's configuration, usually because a ConfigMap, Secret"
                            + " or key it references is missing.",
                    List.of("A ConfigMap or Secret referenced by env, envFrom or a volume does not exist in the"
                                    + " namespace",
                            "A key referenced by configMapKeyRef or secretKeyRef is not in the ConfigMap or Secret",
                            "runAsNonRoot is set but the image runs as root",
                            "The ConfigMap or Secret is created after the pod, for example by a later Helm hook"),
                    List.of(DESCRIBE_POD,
                            OBJECT_EVENTS,
                            "kubectl get configmaps,secrets -n {namespace}",
                            POD_YAML,
                            ROLLOUT_HISTORY),
                    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/"),
            new Troubleshooting(CREATE_CONTAINER_ERROR, ERROR,
                    "The container runtime failed to create or start the container, for example because its"
                            + " command does not exist in the image.",
                    List.of("The command or entrypoint is not in the image, or is not executable",
                            "A volume mount or subPath points at something that does not exist",
                            "The container runtime (containerd, CRI-O) on the node fails or times out",
                            "A security context the node's runtime or kernel does not allow"),
                    List.of(DESCRIBE_POD,
                            OBJECT_EVENTS,
                            POD_YAML,
                            DESCRIBE_NODE,
                            ROLLOUT_HISTORY),
                    "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/"),
            new Troubleshooting(NODE_NOT_READY, ERROR,
                    "The node stopped reporting Ready to the control plane; its pods are evicted once the"
                            + " not-ready toleration runs out.",
                    List.of("The kubelet stopped or cannot reach the API server (crash, expired certificate, network)",
                            "The node is out of memory, disk or PIDs, or its container runtime hangs",
                            "The machine was shut down, rebooted or lost by the cloud provider",
                            "The CNI plugin is not ready after a restart or upgrade"),
                    List.of(DESCRIBE_NODE,
                            "kubectl get node {node} -o jsonpath='{.status.conditions}'",
                            "kubectl get pods --all-namespaces --field-selector spec.nodeName={node}",
                            "kubectl get events --all-namespaces --field-selector involvedObject.name={node}"),
                    "https://kubernetes.io/docs/concepts/architecture/nodes/#condition"));

    private final Map<String, Troubleshooting> byReason;

    /** @throws IllegalArgumentException naming the entry, for a repeated reason or an unknown placeholder */
    public KnowledgeBase(List<Troubleshooting> entries) {
        Objects.requireNonNull(entries, "Knowledge base entries are required.");
        Map<String, Troubleshooting> map = new LinkedHashMap<>();
        for (Troubleshooting entry : entries) {
            validate(entry);
            if (map.putIfAbsent(entry.reason(), entry) != null) {
                throw new IllegalArgumentException("Knowledge base has two entries for reason '" + entry.reason()
                        + "': keep one.");
            }
        }
        this.byReason = Collections.unmodifiableMap(map);
    }

    public static KnowledgeBase standard() {
        return new KnowledgeBase(STANDARD);
    }

    public Optional<Troubleshooting> find(String reason) {
        return Optional.ofNullable(byReason.get(reason));
    }

    /** Entry for reason, or a generic fallback for unknown reasons: WARNING for Warning events, INFO for Normal ones. */
    public Troubleshooting forReason(String reason, boolean warningEvent) {
        return find(reason).orElseGet(() -> fallback(reason, warningEvent ? WARNING : Severity.INFO));
    }

    public Set<String> reasons() {
        return byReason.keySet();
    }

    private static Troubleshooting fallback(String reason, Severity severity) {
        String name = reason == null || reason.isBlank() ? "(none)" : reason;
        return new Troubleshooting(name, severity,
                "Kubernetes reported reason " + name + ", which has no entry here: start from the event's"
                        + " message and the object's recent events.",
                List.of("A recent change to the workload's image, spec or configuration",
                        "A missing or changed dependency: ConfigMap, Secret, volume or Service",
                        "Resource pressure on the node or a quota in the namespace"),
                List.of("kubectl describe {kind} {name} -n {namespace}",
                        OBJECT_EVENTS,
                        "kubectl logs {pod} -n {namespace} --all-containers",
                        DESCRIBE_NODE),
                FALLBACK_RUNBOOK);
    }

    private static void validate(Troubleshooting entry) {
        Objects.requireNonNull(entry, "Knowledge base entries must not be null.");
        if (entry.reason() == null || entry.reason().isBlank()) {
            throw new IllegalArgumentException("Knowledge base entry has no reason: " + entry);
        }
        if (entry.severity() == null) {
            throw new IllegalArgumentException("Knowledge base entry '" + entry.reason() + "' has no severity.");
        }
        for (String command : entry.debugCommands()) {
            for (String placeholder : TroubleshootingRenderer.placeholdersIn(command)) {
                if (!TroubleshootingRenderer.PLACEHOLDERS.contains(placeholder)) {
                    throw new IllegalArgumentException("Knowledge base entry '" + entry.reason() + "': command '"
                            + command + "' uses unknown placeholder {" + placeholder + "}; use one of "
                            + new TreeSet<>(TroubleshootingRenderer.PLACEHOLDERS) + ".");
                }
            }
        }
    }
}
