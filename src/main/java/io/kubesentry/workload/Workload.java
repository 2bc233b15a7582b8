package io.kubesentry.workload;

import io.kubesentry.event.InvolvedObject;

/** The top-level owner of an object: a Deployment, StatefulSet, DaemonSet, CronJob, Job, a bare Pod, a Node. */
public record Workload(String kind, String name) {

    public static Workload of(InvolvedObject object) {
        return new Workload(object.kind(), object.name());
    }

    /** {@code Deployment/api}: the form used in fingerprints and messages. */
    public String qualifiedName() {
        return kind + "/" + name;
    }
}
