package io.kubesentry.app;

/** The route files inside the jar, listed: a wildcard would make camel-main scan the whole jar at start-up. */
final class BundledRoutes {

    static final String PATTERN = "classpath:routes/watch-kubernetes-events.camel.yaml,"
            + "classpath:routes/watch-pod-status.camel.yaml,"
            + "classpath:routes/report-occurrences.camel.yaml";

    private BundledRoutes() {
    }
}
