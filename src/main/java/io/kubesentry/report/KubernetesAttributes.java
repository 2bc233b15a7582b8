package io.kubesentry.report;

import io.kubesentry.core.Occurrence;
import io.kubesentry.routing.RoutingSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code k8s.*} names shared by issue tags and log attributes; empty values are left out. */
final class KubernetesAttributes {

    private KubernetesAttributes() {
    }

    /** The occurrence's names plus the cluster, the global tags and the workload's label tags. */
    static Map<String, String> of(Occurrence occurrence, RoutingSettings routing) {
        Map<String, String> attributes = new LinkedHashMap<>();
        putInto(attributes, occurrence, routing);
        return attributes;
    }

    /** The same into a map of the caller's, without a copy per layer: a log is built for every occurrence. */
    static void putInto(Map<String, ? super String> attributes, Occurrence occurrence, RoutingSettings routing) {
        attributes.putAll(routing.globalTags());
        routing.cluster().ifPresent(cluster -> attributes.put("k8s.cluster", cluster));
        var object = occurrence.object();
        put(attributes, "k8s.namespace", occurrence.namespace());
        if (object.isPod()) {
            put(attributes, "k8s.pod", object.name());
        }
        put(attributes, "k8s.node", occurrence.node());
        put(attributes, "k8s.reason", occurrence.reason());
        put(attributes, "k8s.kind", object.kind());
        put(attributes, "k8s.deployment", occurrence.workload().name());
        put(attributes, "k8s.workload_kind", occurrence.workload().kind());
        object.container().ifPresent(container -> put(attributes, "k8s.container", container));
        attributes.putAll(occurrence.target().tags());
    }

    /** Empty values are left out. */
    private static void put(Map<String, ? super String> attributes, String name, String value) {
        if (!value.isEmpty()) {
            attributes.put(name, value);
        }
    }
}
