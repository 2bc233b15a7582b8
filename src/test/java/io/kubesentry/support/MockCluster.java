package io.kubesentry.support;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.Map;
import java.util.Queue;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.UUID;

/**
 * The fabric8 mock API server in CRUD mode on 127.0.0.1 (real HTTP and watches; expectations first), with builders for the
 * objects the tests create: Deployments with their ReplicaSets and Pods, and events.k8s.io/v1 Events.
 */
public final class MockCluster implements AutoCloseable {

    private KubernetesMockServer server;
    private boolean stopped;
    private final KubernetesClient client;

    public MockCluster() throws Exception {
        server = newServer(0);
        client = server.createClient(new VertxHttpClientFactory()); // the test's own client; the agent's is the JDK one
    }

    private static KubernetesMockServer newServer(int port) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getByName("127.0.0.1"), port);
        return server;
    }

    /** The API server goes away for good (until {@link #close()}). */
    public void stopServer() {
        server.destroy();
        stopped = true;
    }

    /** The API server goes away and comes back empty on the same address, as after a control-plane restart. */
    public void restart(java.time.Duration down) throws Exception {
        int port = server.getPort();
        server.destroy();
        Thread.sleep(down.toMillis());
        server = newServer(port);
    }

    public KubernetesClient client() {
        return client;
    }

    /** For what CRUD mode does not serve (pods/log): expectations are answered first. */
    public KubernetesMockServer server() {
        return server;
    }

    /** A Deployment, its ReplicaSet {@code name-7d9f8b6c5} and pods owned by it, on {@code node}. */
    public void deployment(String namespace, String name, String node, String... pods) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withUid(uid()).endMetadata()
                .build()).create();
        String replicaSet = name + "-7d9f8b6c5";
        client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(replicaSet).withNamespace(namespace).withUid(uid())
                .withOwnerReferences(controller("apps/v1", "Deployment", name)).endMetadata()
                .build()).create();
        for (String pod : pods) {
            client.pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata().withName(pod).withNamespace(namespace).withUid(uid())
                    .withOwnerReferences(controller("apps/v1", "ReplicaSet", replicaSet)).endMetadata()
                    .withNewSpec().withNodeName(node).endSpec()
                    .build()).create();
        }
    }

    /** The pod as the API server has it now. */
    public io.fabric8.kubernetes.api.model.Pod pod(String namespace, String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** Writes a pod's status, as the kubelet does (a MODIFIED delivery). */
    public void updateStatus(io.fabric8.kubernetes.api.model.Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).update();
    }

    /** A Warning event about a pod's container, as the kubelet writes it through events.k8s.io/v1. */
    public EventBuilder podEvent(String namespace, String pod, String reason, String note, int count,
            Instant lastSeen) {
        String seen = timestamp(lastSeen);
        return new EventBuilder()
                .withNewMetadata().withName(pod + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(namespace).withUid(uid()).endMetadata()
                .withNewRegarding().withKind("Pod").withApiVersion("v1").withNamespace(namespace)
                .withName(pod).withFieldPath("spec.containers{app}").endRegarding()
                .withReason(reason)
                .withNote(note)
                .withType("Warning")
                .withReportingController("kubelet")
                .withReportingInstance("node-1")
                .withAction("Killing")
                .withDeprecatedCount(count)
                .withDeprecatedFirstTimestamp(seen)
                .withDeprecatedLastTimestamp(seen)
                .withEventTime(new MicroTime(seen));
    }

    public Event create(Event event) {
        return client.events().v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event)
                .create();
    }

    /** The same Event object seen again: its count and last-seen time grow (a MODIFIED delivery). */
    public Event repeat(Event event, int count, Instant lastSeen) {
        Event current = client.events().v1().events().inNamespace(event.getMetadata().getNamespace())
                .withName(event.getMetadata().getName()).get();
        current.setDeprecatedCount(count);
        current.setDeprecatedLastTimestamp(timestamp(lastSeen));
        return client.events().v1().events().inNamespace(event.getMetadata().getNamespace()).resource(current)
                .update();
    }

    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static OwnerReference controller(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name)
                .withUid(uid()).withController(true).build();
    }

    private static String uid() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        client.close();
        if (!stopped) {
            server.destroy();
        }
    }
}
