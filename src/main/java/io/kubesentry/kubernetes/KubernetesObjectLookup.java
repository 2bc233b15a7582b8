package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup;
import io.kubesentry.workload.ObjectLookup;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ObjectLookup} on the API server: GET of a Pod, ReplicaSet or Job. Read-only. */
public final class KubernetesObjectLookup implements ObjectLookup, MetadataLookup {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesObjectLookup.class);

    private final KubernetesClient client;

    public KubernetesObjectLookup(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<OwnedObject> find(String kind, String namespace, String name) {
        try {
            HasMetadata object = switch (kind) {
                case "Pod" -> client.pods().inNamespace(namespace).withName(name).get();
                case "ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).withName(name).get();
                case "Job" -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
                default -> null;
            };
            return Optional.ofNullable(object).map(KubernetesObjectLookup::owned);
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot read {} {}/{} to find its workload (HTTP {}): {}", kind, namespace, name, e.getCode(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<Metadata> workload(String kind, String namespace, String name) {
        return read(kind + " " + namespace + "/" + name, () -> switch (kind) {
            case "Deployment" -> client.apps().deployments().inNamespace(namespace).withName(name).get();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(namespace).withName(name).get();
            case "ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).withName(name).get();
            case "CronJob" -> client.batch().v1().cronjobs().inNamespace(namespace).withName(name).get();
            case "Job" -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            case "Pod" -> client.pods().inNamespace(namespace).withName(name).get();
            case "Node" -> client.nodes().withName(name).get();
            default -> null;
        });
    }

    @Override
    public Optional<Metadata> namespace(String name) {
        return read("Namespace " + name, () -> client.namespaces().withName(name).get());
    }

    private Optional<Metadata> read(String what, java.util.function.Supplier<HasMetadata> get) {
        try {
            return Optional.ofNullable(get.get()).map(HasMetadata::getMetadata)
                    .map(meta -> new Metadata(meta.getLabels(), meta.getAnnotations()));
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot read the labels and annotations of {} (HTTP {}): {}", what, e.getCode(), e.getMessage());
            return Optional.empty();
        }
    }

    /** What the resolver needs of an object read from the API server or delivered by a watch. */
    static OwnedObject owned(HasMetadata object) {
        Optional<Workload> controller = object.getMetadata().getOwnerReferences() == null
                ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream()
                        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                        .findFirst()
                        .map(KubernetesObjectLookup::workload);
        String node = object instanceof Pod pod && pod.getSpec() != null && pod.getSpec().getNodeName() != null
                ? pod.getSpec().getNodeName()
                : "";
        return new OwnedObject(object.getKind(), object.getMetadata().getName(), controller, node);
    }

    private static Workload workload(OwnerReference ref) {
        return new Workload(ref.getKind(), ref.getName());
    }
}
