package io.kubesentry.core;

import java.time.Instant;

/**
 * One Kubernetes Event as this program sees it, whichever API served it.
 *
 * @param uid           the Event object's uid: one per repeating event, whose {@code count} grows
 * @param message       what happened, at most {@link #MAX_MESSAGE_LENGTH} characters
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

    /**
     * Sentry keeps 8,192 characters of an issue's message and rejects events over 1 MB, while a core/v1 Event's
     * message can be a megabyte (and every step after this one reads it): a longer message is cut here, once.
     */
    public static final int MAX_MESSAGE_LENGTH = 8192;

    public ClusterEvent {
        uid = KubernetesLimits.cut(uid, KubernetesLimits.NAME + 1 + KubernetesLimits.LABEL);
        namespace = namespace == null || namespace.isBlank() ? object.namespace() : KubernetesLimits.label(namespace);
        reason = reason == null ? "" : KubernetesLimits.cut(reason, KubernetesLimits.REASON);
        message = message == null ? "" : capped(message);
        type = type == null || type.isBlank() ? "Normal" : KubernetesLimits.label(type);
        count = Math.max(1, count);
        reportingNode = reportingNode == null ? "" : KubernetesLimits.name(reportingNode);
        source = source == null ? "" : KubernetesLimits.name(source);
        if (lastSeen == null) {
            lastSeen = firstSeen;
        }
        if (firstSeen == null) {
            firstSeen = lastSeen;
        }
    }

    /** The message cut to {@link #MAX_MESSAGE_LENGTH} characters, saying so, never inside a surrogate pair. */
    static String capped(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message
                : cut(message, MAX_MESSAGE_LENGTH, " [... truncated from " + message.length() + " characters]");
    }

    /**
     * {@code text} in at most {@code maxLength} characters, {@code marker} included when it is cut; never cut
     * inside a surrogate pair.
     */
    public static String cut(String text, int maxLength, String marker) {
        if (text == null || text.length() <= maxLength) {
            return text;
        }
        int end = maxLength - marker.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + marker;
    }

    public boolean isWarning() {
        return "Warning".equals(type);
    }
}
