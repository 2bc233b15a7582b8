package io.kubesentry.event;

import io.kubesentry.workload.Workload;

/**
 * A classified event: what happened ({@link #reason()}, one of the names users configure), to which object,
 * and which workload owns that object.
 *
 * @param node the node the object runs on, or empty when unknown (an unscheduled pod)
 */
public record Occurrence(ClusterEvent event, String reason, Workload workload, String node) {

    public Occurrence {
        node = node == null ? "" : node;
    }

    public String namespace() {
        return event.namespace();
    }

    public InvolvedObject object() {
        return event.object();
    }

    public String message() {
        return event.message();
    }

    public Occurrence withWorkload(Workload owner, String nodeName) {
        return new Occurrence(event, reason, owner, nodeName == null || nodeName.isBlank() ? node : nodeName);
    }
}
