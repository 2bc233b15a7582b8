package io.kubesentry.filter;

import java.time.Instant;

/**
 * Why the filter does not report an occurrence.
 *
 * @param text what the debug log says, e.g. {@code namespace excluded} or
 *             {@code last seen 2024-03-01T09:59:59Z, before start-up}
 */
public record Rejection(Rule rule, String text) {

    /** The rule that rejected it. */
    public enum Rule {
        /** KUBE_SENTRY_EVENTS does not list the reason. */
        REASON_NOT_WATCHED,
        /** KUBE_SENTRY_NAMESPACES does not list the namespace. */
        NAMESPACE_NOT_WATCHED,
        /** KUBE_SENTRY_EXCLUDE_NAMESPACES lists the namespace. */
        NAMESPACE_EXCLUDED,
        /** Last seen before start-up (or before the leader took over). */
        BEFORE_START_UP
    }

    static Rejection reasonNotWatched() {
        return new Rejection(Rule.REASON_NOT_WATCHED, "reason not watched");
    }

    static Rejection namespaceNotWatched() {
        return new Rejection(Rule.NAMESPACE_NOT_WATCHED, "namespace not watched");
    }

    static Rejection namespaceExcluded() {
        return new Rejection(Rule.NAMESPACE_EXCLUDED, "namespace excluded");
    }

    static Rejection beforeStartUp(Instant lastSeen) {
        return new Rejection(Rule.BEFORE_START_UP, "last seen " + lastSeen + ", before start-up");
    }

    /** What the dropped count is kept under: the text, without the time for one last seen before start-up. */
    public String category() {
        return rule == Rule.BEFORE_START_UP ? "before start-up" : text;
    }
}
