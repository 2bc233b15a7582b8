package io.kubesentry.core;

/**
 * Kubernetes' own limits on what names an object, applied to everything read from an Event or a Pod: the API
 * server enforces them, a proxy, a mock or a recorded file need not, and a 10 MB name would otherwise be copied
 * into every log line, key and issue. A longer value is cut, ending in {@code …}.
 */
public final class KubernetesLimits {

    /** An object's name (a DNS subdomain), a node's name. */
    public static final int NAME = 253;
    /** A namespace (a DNS label), a kind, a label value. */
    public static final int LABEL = 63;
    /** An Event's reason (events.k8s.io validates 128). */
    public static final int REASON = 128;
    /** A uid is 36; a field path has no stated limit, 1 KB is far beyond any real one. */
    public static final int UID = 128;
    public static final int FIELD_PATH = 1024;
    private static final String MARK = "…";

    private KubernetesLimits() {
    }

    public static String name(String text) {
        return ClusterEvent.cut(text, NAME, MARK);
    }

    public static String label(String text) {
        return ClusterEvent.cut(text, LABEL, MARK);
    }

    public static String cut(String text, int limit) {
        return ClusterEvent.cut(text, limit, MARK);
    }
}
