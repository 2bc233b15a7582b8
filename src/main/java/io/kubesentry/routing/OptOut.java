package io.kubesentry.routing;

import io.kubesentry.routing.MetadataLookup.Metadata;

/** A workload opts out of reporting with {@code kube-sentry-events/ignore: "true"}, on itself or its Namespace. */
final class OptOut {

    private OptOut() {
    }

    static boolean ignores(Metadata workload, Metadata namespace) {
        return said(workload) || said(namespace);
    }

    private static boolean said(Metadata metadata) {
        return "true".equalsIgnoreCase(metadata.annotations().get(RoutingAnnotations.IGNORE));
    }
}
