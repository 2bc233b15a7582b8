package io.kubesentry.routing;

/** The annotations a workload or its Namespace routes its occurrences with. */
final class RoutingAnnotations {

    static final String PREFIX = "kube-sentry-events/";
    static final String DSN = PREFIX + "dsn";
    static final String PROJECT = PREFIX + "project";
    static final String IGNORE = PREFIX + "ignore";
    static final String THRESHOLDS = PREFIX + "thresholds";

    private RoutingAnnotations() {
    }
}
