package io.kubesentry.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The object an Event is about (core/v1 {@code involvedObject}, events.k8s.io {@code regarding}). */
public record InvolvedObject(String kind, String namespace, String name, String uid, String fieldPath) {

    /** Kinds that live in no namespace; their Events are stored in {@code default}. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Node", "Namespace", "PersistentVolume",
            "StorageClass", "CSINode", "VolumeAttachment", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "RuntimeClass", "IngressClass", "APIService",
            "CertificateSigningRequest", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    private static final List<String> CONTAINER_LISTS = List.of("spec.containers", "spec.initContainers",
            "spec.ephemeralContainers");

    public InvolvedObject {
        kind = kind == null || kind.isBlank() ? "Unknown" : KubernetesLimits.label(kind);
        namespace = namespace == null ? "" : KubernetesLimits.label(namespace);
        name = name == null || name.isBlank() ? "unknown" : KubernetesLimits.name(name);
        uid = uid == null ? "" : KubernetesLimits.cut(uid, KubernetesLimits.UID);
        fieldPath = fieldPath == null ? "" : KubernetesLimits.cut(fieldPath, KubernetesLimits.FIELD_PATH);
    }

    /** The container named by {@code fieldPath}, e.g. {@code spec.containers{app}}. */
    public Optional<String> container() {
        // asked several times per occurrence: parsed by hand, no matcher allocated
        int open = fieldPath.indexOf('{');
        int close = fieldPath.length() - 1;
        if (open < 0 || close <= open + 1 || fieldPath.charAt(close) != '}' || !startsWithContainerList(open)
                || hasLineBreak(open + 1, close)) {
            return Optional.empty();
        }
        return Optional.of(fieldPath.substring(open + 1, close));
    }

    private boolean startsWithContainerList(int length) {
        for (String list : CONTAINER_LISTS) {
            if (list.length() == length && fieldPath.startsWith(list)) {
                return true;
            }
        }
        return false;
    }

    /** A container name never holds one; the fieldPath of a malformed Event might. */
    private boolean hasLineBreak(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = fieldPath.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    public boolean isPod() {
        return "Pod".equals(kind);
    }

    public boolean isNode() {
        return "Node".equals(kind);
    }

    /** A Node and the like: in no namespace, whatever namespace its Events are stored in. */
    public boolean isClusterScoped() {
        return CLUSTER_SCOPED.contains(kind);
    }
}
