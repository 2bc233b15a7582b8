package io.kubesentry.event;

import java.time.Instant;

/**
 * One Kubernetes Event as this program sees it, whichever API served it.
 *
 * @param uid           the Event object's uid: one per repeating event, whose {@code count} grows
 * @param count         how often the event has occurred so far (at least 1)
 * @param reportingNode the node whose kubelet reported the event, or empty
 * @param source        the reporting component (kubelet, default-scheduler, ...)
 */
public record ClusterEvent(
        String uid,
        String namespace,
        InvolvedObject object,
        String reason,
        String message,
        String type,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String reportingNode,
        String source) {

    public ClusterEvent {
        namespace = namespace == null || namespace.isBlank() ? object.namespace() : namespace;
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
        type = type == null || type.isBlank() ? "Normal" : type;
        count = Math.max(1, count);
        reportingNode = reportingNode == null ? "" : reportingNode;
        source = source == null ? "" : source;
        if (lastSeen == null) {
            lastSeen = firstSeen;
        }
        if (firstSeen == null) {
            firstSeen = lastSeen;
        }
    }

    public boolean isWarning() {
        return "Warning".equals(type);
    }
}
