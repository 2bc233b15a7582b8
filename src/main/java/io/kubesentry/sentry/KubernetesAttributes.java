package io.kubesentry.sentry;

import io.kubesentry.event.Occurrence;
import io.kubesentry.routing.RoutingSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code k8s.*} names shared by issue tags and log attributes; empty values are left out. */
final class KubernetesAttributes {

    private KubernetesAttributes() {
    }

    /** The occurrence's names plus the cluster, the global tags and the workload's label tags. */
    static Map<String, String> of(Occurrence occurrence, RoutingSettings routing) {
        Map<String, String> attributes = new LinkedHashMap<>(routing.globalTags());
        routing.cluster().ifPresent(cluster -> attributes.put("k8s.cluster", cluster));
        attributes.putAll(of(occurrence));
        attributes.putAll(occurrence.target().tags());
        return attributes;
    }

    static Map<String, String> of(Occurrence occurrence) {
        var object = occurrence.object();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("k8s.namespace", occurrence.namespace());
        if (object.isPod()) {
            attributes.put("k8s.pod", object.name());
        }
        attributes.put("k8s.node", occurrence.node());
        attributes.put("k8s.reason", occurrence.reason());
        attributes.put("k8s.kind", object.kind());
        attributes.put("k8s.deployment", occurrence.workload().name());
        attributes.put("k8s.workload_kind", occurrence.workload().kind());
        object.container().ifPresent(container -> attributes.put("k8s.container", container));
        attributes.values().removeIf(String::isEmpty);
        return attributes;
    }
}
