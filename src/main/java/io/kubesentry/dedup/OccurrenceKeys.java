package io.kubesentry.dedup;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import io.kubesentry.threshold.CountedOccurrence;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The keys an occurrence is counted and deduplicated by. One factory, so the dedup key of an incident and
 * its Sentry fingerprint can never drift apart.
 */
public final class OccurrenceKeys {

    private final Optional<String> clusterInFingerprint;

    /** @param clusterInFingerprint a cluster name to lead the fingerprint, when several clusters share a project */
    public OccurrenceKeys(Optional<String> clusterInFingerprint) {
        this.clusterInFingerprint = clusterInFingerprint;
    }

    /** One delivery of one occurrence: a watch re-list delivers the same uid and count again. */
    public String delivery(Occurrence occurrence) {
        ClusterEvent event = occurrence.event();
        // epoch form: formatting an Instant costs more than the rest of the key
        return event.uid() + "|" + event.count() + "|"
                + (event.lastSeen() == null ? "" : event.lastSeen().getEpochSecond() + "." + event.lastSeen().getNano());
    }

    /** The object whose occurrences count toward a threshold: one pod or container, one node. */
    public String object(Occurrence occurrence) {
        var object = occurrence.object();
        return String.join("|", occurrence.namespace(), object.kind(), object.name(),
                object.container().orElse(""), occurrence.reason());
    }

    /** {@code [namespace, workload, reason]}: no pod or node names, no raw message. */
    public List<String> fingerprint(Occurrence occurrence) {
        List<String> fingerprint = List.of(occurrence.namespace(), occurrence.workload().qualifiedName(),
                occurrence.reason());
        return clusterInFingerprint.map(cluster -> Stream.concat(Stream.of(cluster), fingerprint.stream()).toList())
                .orElse(fingerprint);
    }

    /** The dedup key of an incident: the fingerprint as one string. */
    public String incident(CountedOccurrence counted) {
        return counted.occurrence().target().destination() + "|" + String.join("|", fingerprint(counted.occurrence()));
    }
}
