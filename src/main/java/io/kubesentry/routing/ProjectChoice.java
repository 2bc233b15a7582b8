package io.kubesentry.routing;

import io.kubesentry.core.Destination;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;

/**
 * Picks the Sentry project, in this order: the workload's annotations, its Namespace's, the first rule of the
 * routing table that matches, the default.
 */
final class ProjectChoice {

    private final RoutingSettings settings;
    private final AnnotatedDestination annotated;

    ProjectChoice(RoutingSettings settings) {
        this.settings = settings;
        this.annotated = new AnnotatedDestination(settings);
    }

    Destination of(String namespace, Workload workload, Metadata own, Metadata space) {
        return annotated.of(own, workload.qualifiedName())
                .or(() -> annotated.of(space, "namespace " + namespace))
                .or(() -> settings.rules().stream()
                        .filter(rule -> rule.matches(namespace, own.labels()))
                        .findFirst()
                        .map(rule -> Destination.project(rule.project())))
                .orElse(Destination.DEFAULT);
    }
}
