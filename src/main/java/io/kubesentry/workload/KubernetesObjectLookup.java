package io.kubesentry.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ObjectLookup} on the API server: GET of a Pod, ReplicaSet or Job. Read-only. */
public final class KubernetesObjectLookup implements ObjectLookup {

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

    private static OwnedObject owned(HasMetadata object) {
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
