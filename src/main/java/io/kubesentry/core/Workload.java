package io.kubesentry.core;


/** The top-level owner of an object: a Deployment, StatefulSet, DaemonSet, CronJob, Job, a bare Pod, a Node. */
public record Workload(String kind, String name) {

    /** An owner reference without kind or name (the API server refuses one, a mock or a proxy may not) keeps a name. */
    public Workload {
        kind = kind == null || kind.isBlank() ? "Unknown" : io.kubesentry.core.KubernetesLimits.label(kind);
        name = name == null || name.isBlank() ? "unknown" : io.kubesentry.core.KubernetesLimits.name(name);
    }

    public static Workload of(InvolvedObject object) {
        return new Workload(object.kind(), object.name());
    }

    /** {@code Deployment/api}: the form used in fingerprints and messages. */
    public String qualifiedName() {
        return kind + "/" + name;
    }
}
