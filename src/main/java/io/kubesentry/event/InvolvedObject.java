package io.kubesentry.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The object an Event is about (core/v1 {@code involvedObject}, events.k8s.io {@code regarding}). */
public record InvolvedObject(String kind, String namespace, String name, String uid, String fieldPath) {

    private static final Pattern CONTAINER_FIELD = Pattern.compile("spec\\.(?:initContainers|containers|ephemeralContainers)\\{(.+)}");

    public InvolvedObject {
        kind = kind == null || kind.isBlank() ? "Unknown" : kind;
        namespace = namespace == null ? "" : namespace;
        name = name == null || name.isBlank() ? "unknown" : name;
        uid = uid == null ? "" : uid;
        fieldPath = fieldPath == null ? "" : fieldPath;
    }

    /** The container named by {@code fieldPath}, e.g. {@code spec.containers{app}}. */
    public Optional<String> container() {
        Matcher m = CONTAINER_FIELD.matcher(fieldPath);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public boolean isPod() {
        return "Pod".equals(kind);
    }

    public boolean isNode() {
        return "Node".equals(kind);
    }
}
