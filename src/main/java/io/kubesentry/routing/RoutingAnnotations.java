package io.kubesentry.routing;

/** The annotations a workload or its Namespace routes its occurrences with. */
public final class RoutingAnnotations {

    public static final String PREFIX = "kube-sentry-events/";
    public static final String DSN = PREFIX + "dsn";
    public static final String PROJECT = PREFIX + "project";
    public static final String IGNORE = PREFIX + "ignore";
    public static final String THRESHOLDS = PREFIX + "thresholds";

    private RoutingAnnotations() {
    }
}
