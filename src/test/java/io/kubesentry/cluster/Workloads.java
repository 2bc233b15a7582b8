package io.kubesentry.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a test puts into the real cluster: namespaces, Nodes (objects only; no kubelet runs), workloads created
 * through the API for the real controllers to expand, and the kubelet's part written as the kubelet writes it:
 * container states through the Pod {@code status} subresource, Events through {@code core/v1} with a growing count.
 */
public final class Workloads {

    private final KubernetesClient client;

    public Workloads(ControlPlane plane) {
        this.client = plane.admin();
    }

    public KubernetesClient client() {
        return client;
    }

    /** A new namespace {@code <prefix>-<random>}, with {@code labels}. */
    public String namespace(String prefix, Map<String, String> labels) {
        String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 25), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
        return name;
    }

    public String namespace(String prefix) {
        return namespace(prefix, Map.of());
    }

    /** A Node object of small capacity (2 CPUs, 4 GiB) that says it is Ready, as its kubelet would. */
    public void node(String name) {
        if (client.nodes().withName(name).get() != null) {
            return;
        }
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"),
                "pods", new Quantity("110"));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata().build()).create();
        retryOnConflict(() -> client.nodes().withName(name).editStatus(node -> new NodeBuilder(node).withNewStatus()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now())
                .withLastTransitionTime(now()).endCondition()
                .endStatus().build()));
    }

    /** The node's kubelet reports 1 GiB more allocatable memory: the scheduler tries its pending pods again. */
    public void grow(String node) {
        retryOnConflict(() -> client.nodes().withName(node).editStatus(n -> {
            Quantity memory = n.getStatus().getAllocatable().get("memory");
            Quantity more = new Quantity(String.valueOf(Quantity.getAmountInBytes(memory).longValue() + (1L << 30)));
            n.getStatus().getAllocatable().put("memory", more);
            n.getStatus().getCapacity().put("memory", more);
            return n;
        }));
    }

    /** An edit again on the latest version, as controllers do, while another writer (a controller) was first. */
    static void retryOnConflict(Runnable edit) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k
                && k.getCode() == 409).until(() -> {
                    edit.run();
                    return true;
                });
    }

    /** A Deployment of {@code replicas} pods of one container {@code app} that asks for {@code memory}. */
    public void deployment(String namespace, String name, int replicas, String memory) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, memory))
                .endSpec().build()).create();
    }

    static PodTemplateSpec template(String app, String memory) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example/" + app + ":1.0")
                .withNewResources().addToRequests("memory", new Quantity(memory))
                .addToLimits("memory", new Quantity(memory)).endResources()
                .endContainer().endSpec().build();
    }

    /** Waits for the controllers to make {@code count} pods of the workload labelled {@code app}. */
    public List<Pod> pods(String namespace, String app, int count) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> client.pods().inNamespace(namespace).withLabel("app", app).list().getItems(),
                pods -> pods.size() == count);
    }

    /** Waits until the scheduler has bound the pod to a node, and returns it. */
    public Pod scheduled(String namespace, String pod) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> client.pods().inNamespace(namespace).withName(pod).get(),
                p -> p != null && p.getSpec().getNodeName() != null);
    }

    /** The kubelet reports the container's state through the status subresource (the Pod's spec is untouched). */
    public void containerStatus(Pod pod, ContainerStatus status) {
        retryOnConflict(() -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).editStatus(p -> {
                    p.getStatus().setPhase("Running");
                    p.getStatus().setContainerStatuses(List.of(status));
                    return p;
                }));
    }

    /** {@code app} crashed {@code restarts} times, last for {@code lastReason}, and now waits in CrashLoopBackOff. */
    public static ContainerStatus crashLooping(String image, int restarts, String lastReason, int exitCode) {
        return new ContainerStatusBuilder().withName("app").withImage(image).withImageID("").withReady(false)
                .withStarted(false).withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container=app pod=...").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason(lastReason).withExitCode(exitCode)
                .withStartedAt(now()).withFinishedAt(now()).withContainerID("containerd://" + restarts)
                .endTerminated().endLastState()
                .build();
    }

    /**
     * An Event as the kubelet writes it through {@code core/v1} about one container of {@code pod}: the first time
     * {@code count} 1; again and again the same object with its count raised ({@link #repeat}).
     */
    public Event kubeletEvent(Pod pod, String type, String reason, String message) {
        String node = pod.getSpec().getNodeName();
        String name = pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime());
        return client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(new EventBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withApiVersion("v1").withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid())
                .withFieldPath("spec.containers{app}").endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(node).endSource()
                .withReportingComponent("kubelet").withReportingInstance(node)
                .withFirstTimestamp(now()).withLastTimestamp(now()).withCount(1)
                .build()).create();
    }

    /** A kubelet Event about a pod the test names ({@code core/v1}, count 1), on node {@code small-node-a}. */
    public Event kubeletEvent(String namespace, String pod, String reason, String message) {
        return kubeletEvent(namespace, pod, reason, message, Duration.ZERO);
    }

    /** The same, as the kubelet wrote it {@code ago}. */
    public Event kubeletEvent(String namespace, String pod, String reason, String message, Duration ago) {
        String at = Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS).toString();
        return client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withName(pod + "." + Long.toHexString(System.nanoTime())).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withApiVersion("v1").withName(pod).withNamespace(namespace)
                .withUid(java.util.UUID.randomUUID().toString()).endInvolvedObject()
                .withType("Warning").withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost("small-node-a").endSource()
                .withReportingComponent("kubelet").withReportingInstance("small-node-a")
                .withFirstTimestamp(at).withLastTimestamp(at).withCount(1)
                .build()).create();
    }

    /** The kubelet's event recorder saw the same Event again: one object, its count raised. */
    public Event repeat(Event event) {
        return client.v1().events().inNamespace(event.getMetadata().getNamespace())
                .withName(event.getMetadata().getName()).edit(e -> {
                    e.setCount(e.getCount() + 1);
                    e.setLastTimestamp(now());
                    return e;
                });
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
