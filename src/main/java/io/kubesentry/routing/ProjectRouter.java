package io.kubesentry.routing;

import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Target;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.time.Duration;

/**
 * Decides an occurrence's {@link Target} from its workload's and Namespace's metadata (read through a cache):
 * the Sentry project ({@link ProjectChoice}), the opt-out ({@link OptOut}), the workload's thresholds
 * ({@link ThresholdsAnnotation}) and its label tags ({@link LabelTags}).
 */
public final class ProjectRouter {

    private final MetadataCache metadata;
    private final ProjectChoice projects;
    private final ThresholdsAnnotation thresholds = new ThresholdsAnnotation();
    private final LabelTags labelTags;

    public ProjectRouter(RoutingSettings settings, MetadataLookup lookup, Duration cacheTtl) {
        this.metadata = new MetadataCache(lookup, cacheTtl);
        this.projects = new ProjectChoice(settings);
        this.labelTags = new LabelTags(settings.labelTags());
    }

    /** The occurrence with its routing decided. */
    public Occurrence route(Occurrence occurrence) {
        return occurrence.withTarget(target(occurrence));
    }

    /** Whether the occurrence's workload or namespace opted out; read after {@link #route}. */
    public boolean ignores(Occurrence occurrence) {
        return occurrence.target().ignored();
    }

    /** Reads (and caches) the labels and annotations routing a workload's occurrences will need. */
    public void prefetch(String namespace, Workload workload) {
        metadata.workload(namespace, workload);
        metadata.namespace(namespace);
    }

    public Target target(Occurrence occurrence) {
        String namespace = occurrence.namespace();
        Workload workload = occurrence.workload();
        Metadata own = metadata.workload(namespace, workload);
        Metadata space = metadata.namespace(namespace);
        return new Target(projects.of(namespace, workload, own, space), OptOut.ignores(own, space),
                thresholds.parse(own.annotations().get(RoutingAnnotations.THRESHOLDS), workload.qualifiedName()),
                labelTags.of(own.labels()));
    }
}
