package io.kubesentry.filter;

import io.kubesentry.core.Occurrence;
import io.kubesentry.metrics.AgentMetrics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an occurrence is reported at all: its namespace, its reason, and whether it happened
 * since start-up (a restart, or a watch that re-lists, must not re-alert an hour of stored events).
 * The namespace lists apply to namespaced objects only: a Node's Events are stored in {@code default}, but
 * the node is in no namespace and runs every namespace's pods, so its problems are reported whatever the
 * lists say (leave {@code NodeNotReady} out of the reasons to stop them).
 */
public final class OccurrenceFilter {

    private static final Logger LOG = LoggerFactory.getLogger(OccurrenceFilter.class);

    private final Set<String> namespaces;
    private final Set<String> excludedNamespaces;
    private final Set<String> reasons;
    private volatile Instant notBefore;
    private final AgentMetrics metrics;

    /**
     * @param startedAt occurrences last seen before this instant are old news; Event timestamps have
     *                  whole seconds, so the cutoff is truncated to the second. {@link Instant#MIN} keeps all.
     */
    public OccurrenceFilter(Set<String> namespaces, Set<String> excludedNamespaces, Set<String> reasons,
            Instant startedAt, AgentMetrics metrics) {
        this.metrics = metrics;
        this.namespaces = Set.copyOf(namespaces);
        this.excludedNamespaces = Set.copyOf(excludedNamespaces);
        this.reasons = Set.copyOf(reasons);
        this.notBefore = startedAt.equals(Instant.MIN) ? startedAt : startedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Occurrences last seen before {@code cutoff} are old news from now on: a replica that takes over reports
     * only what happened since the old leader could last report.
     */
    public void notBefore(Instant cutoff) {
        this.notBefore = cutoff.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Whether something last seen then may still be reported: not before start-up (unknown times are kept). */
    public boolean isRecent(Instant lastSeen) {
        return lastSeen == null || !lastSeen.isBefore(notBefore);
    }

    public boolean accepts(Occurrence occurrence) {
        Optional<Rejection> rejection = rejection(occurrence);
        rejection.ifPresent(why -> metrics.dropped(why.category()));
        rejection.ifPresent(why -> LOG.debug("Dropped {} {}/{} in {}: {}", occurrence.reason(),
                occurrence.object().kind(), occurrence.object().name(), occurrence.namespace(), why.text()));
        return rejection.isEmpty();
    }

    /** Whether occurrences in the namespace can be reported at all (KUBE_SENTRY_NAMESPACES and _EXCLUDE_). */
    public boolean watches(String namespace) {
        return listed(namespace) && !excludedNamespaces.contains(namespace);
    }

    private boolean listed(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    /** Why the occurrence is not reported, or empty when it is. */
    public Optional<Rejection> rejection(Occurrence occurrence) {
        String namespace = occurrence.namespace();
        if (!reasons.contains(occurrence.reason())) {
            return Optional.of(Rejection.reasonNotWatched());
        }
        if (occurrence.object().isClusterScoped()) {
            // a node belongs to none of the listed (or excluded) namespaces, and its problems are everyone's
            return isRecent(occurrence.event().lastSeen()) ? Optional.empty()
                    : Optional.of(Rejection.beforeStartUp(occurrence.event().lastSeen()));
        }
        if (!listed(namespace)) {
            return Optional.of(Rejection.namespaceNotWatched());
        }
        if (excludedNamespaces.contains(namespace)) {
            return Optional.of(Rejection.namespaceExcluded());
        }
        Instant lastSeen = occurrence.event().lastSeen();
        if (!isRecent(lastSeen)) {
            return Optional.of(Rejection.beforeStartUp(lastSeen));
        }
        return Optional.empty();
    }
}
