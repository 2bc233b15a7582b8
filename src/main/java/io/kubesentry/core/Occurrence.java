package io.kubesentry.core;

import java.util.Optional;

/**
 * A classified event: what happened ({@link #reason()}, one of the names users configure), to which object,
 * and which workload owns that object.
 *
 * @param node      the node the object runs on, or empty when unknown (an unscheduled pod)
 * @param container the container's state when the occurrence was read from a Pod's status
 * @param target    where it goes in Sentry, once routed (the default project until then)
 * @param previousLog what the crashed container last wrote, once read for its issue
 */
public record Occurrence(ClusterEvent event, String reason, Workload workload, String node,
        Optional<ContainerSnapshot> container, Target target, Optional<ContainerLog> previousLog) {

    public Occurrence {
        node = node == null ? "" : KubernetesLimits.name(node);
        container = container == null ? Optional.empty() : container;
        target = target == null ? Target.DEFAULT : target;
        previousLog = previousLog == null ? Optional.empty() : previousLog;
    }

    public Occurrence(ClusterEvent event, String reason, Workload workload, String node,
            Optional<ContainerSnapshot> container) {
        this(event, reason, workload, node, container, Target.DEFAULT, Optional.empty());
    }

    public Occurrence(ClusterEvent event, String reason, Workload workload, String node) {
        this(event, reason, workload, node, Optional.empty());
    }

    public Occurrence withTarget(Target routed) {
        return new Occurrence(event, reason, workload, node, container, routed, previousLog);
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
        return new Occurrence(event, reason, owner, nodeName == null || nodeName.isBlank() ? node : nodeName,
                container, target, previousLog);
    }

    public Occurrence withPreviousLog(ContainerLog log) {
        return new Occurrence(event, reason, workload, node, container, target, Optional.of(log));
    }

    /**
     * This signal reported as part of its root cause: a crash-loop back-off as the OOMKilled behind it. It keeps
     * its own identity (uid, count, time) and takes the cause's name, container state and explanation.
     */
    public Occurrence causedBy(Occurrence cause) {
        ClusterEvent explained = new ClusterEvent(event.uid(), event.namespace(), event.object(), event.reason(),
                cause.message() + " (" + event.reason() + ": " + event.message() + ")", event.type(), event.count(),
                event.firstSeen(), event.lastSeen(), event.reportingNode(), event.source());
        return new Occurrence(explained, cause.reason(), workload, node,
                container.isPresent() ? container : cause.container(), target, previousLog);
    }
}
