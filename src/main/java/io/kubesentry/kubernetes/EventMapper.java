package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.MalformedEventException;
import io.kubesentry.core.Timestamps;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The one place that reads fabric8's Event types: events.k8s.io/v1 (what the watch delivers) and core/v1
 * (what {@code kubectl get events -o json} prints), both into {@link ClusterEvent}.
 */
public final class EventMapper {

    static final String COMBINED_PREFIX = "(combined from similar events): ";

    public ClusterEvent toClusterEvent(Object body) {
        if (body instanceof io.fabric8.kubernetes.api.model.events.v1.Event event) {
            return fromEventsV1(event);
        }
        if (body instanceof io.fabric8.kubernetes.api.model.Event event) {
            return fromCoreV1(event);
        }
        throw new MalformedEventException("not a Kubernetes Event: "
                + (body == null ? "null" : body.getClass().getName()));
    }

    /** When a stored Event was last seen, or null when that cannot be read (the routes then decide). */
    public Instant lastSeen(Object body) {
        try {
            return toClusterEvent(body).lastSeen();
        } catch (RuntimeException e) {
            return null;
        }
    }

    ClusterEvent fromEventsV1(io.fabric8.kubernetes.api.model.events.v1.Event event) {
        ObjectMeta meta = requireMetadata(event.getMetadata());
        var series = event.getSeries();
        var source = event.getDeprecatedSource();
        Instant eventTime = microTime(event.getEventTime());
        Instant firstSeen = earliest(timestamp(event.getDeprecatedFirstTimestamp()), eventTime);
        Instant lastSeen = latest(timestamp(event.getDeprecatedLastTimestamp()), eventTime,
                series == null ? null : microTime(series.getLastObservedTime()));
        return new ClusterEvent(
                uid(meta),
                meta.getNamespace(),
                involved(event.getRegarding(), meta),
                event.getReason(),
                cleanMessage(event.getNote()),
                event.getType(),
                maxCount(event.getDeprecatedCount(), series == null ? null : series.getCount()),
                orCreation(firstSeen, meta),
                orCreation(lastSeen, meta),
                reportingNode(event.getReportingController(), event.getReportingInstance(),
                        source == null ? null : source.getHost()),
                firstNonBlank(event.getReportingController(), source == null ? null : source.getComponent()));
    }

    ClusterEvent fromCoreV1(io.fabric8.kubernetes.api.model.Event event) {
        ObjectMeta meta = requireMetadata(event.getMetadata());
        var series = event.getSeries();
        var source = event.getSource();
        Instant eventTime = microTime(event.getEventTime());
        Instant firstSeen = earliest(timestamp(event.getFirstTimestamp()), eventTime);
        Instant lastSeen = latest(timestamp(event.getLastTimestamp()), eventTime,
                series == null ? null : microTime(series.getLastObservedTime()));
        return new ClusterEvent(
                uid(meta),
                meta.getNamespace(),
                involved(event.getInvolvedObject(), meta),
                event.getReason(),
                cleanMessage(event.getMessage()),
                event.getType(),
                maxCount(event.getCount(), series == null ? null : series.getCount()),
                orCreation(firstSeen, meta),
                orCreation(lastSeen, meta),
                reportingNode(event.getReportingComponent(), event.getReportingInstance(),
                        source == null ? null : source.getHost()),
                firstNonBlank(event.getReportingComponent(), source == null ? null : source.getComponent()));
    }

    static String cleanMessage(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        return trimmed.startsWith(COMBINED_PREFIX) ? trimmed.substring(COMBINED_PREFIX.length()) : trimmed;
    }

    private static ObjectMeta requireMetadata(ObjectMeta meta) {
        if (meta == null) {
            throw new MalformedEventException("event has no metadata");
        }
        return meta;
    }

    private static InvolvedObject involved(ObjectReference ref, ObjectMeta eventMeta) {
        if (ref == null) {
            throw new MalformedEventException("event " + eventMeta.getNamespace() + "/" + eventMeta.getName()
                    + " names no involved object");
        }
        String namespace = ref.getNamespace() == null ? eventMeta.getNamespace() : ref.getNamespace();
        return new InvolvedObject(ref.getKind(), namespace, ref.getName(), ref.getUid(), ref.getFieldPath());
    }

    private static String uid(ObjectMeta meta) {
        return firstNonBlank(meta.getUid(), meta.getNamespace() + "/" + meta.getName());
    }

    /** The kubelet reports as {@code reportingInstance} = its node name; older events carry {@code source.host}. */
    private static String reportingNode(String controller, String instance, String host) {
        if (host != null && !host.isBlank()) {
            return host;
        }
        return "kubelet".equals(controller) && instance != null ? instance : "";
    }

    private static long maxCount(Integer count, Integer seriesCount) {
        return Math.max(count == null ? 1 : count, seriesCount == null ? 1 : seriesCount);
    }

    private static Instant orCreation(Instant instant, ObjectMeta meta) {
        return instant != null ? instant : timestamp(meta.getCreationTimestamp());
    }

    private static Instant microTime(MicroTime time) {
        return time == null ? null : timestamp(time.getTime());
    }

    static Instant timestamp(String text) {
        return Timestamps.parse(text);
    }

    private static Instant earliest(Instant... instants) {
        return Stream.of(instants).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    private static Instant latest(Instant... instants) {
        return Stream.of(instants).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
    }

    private static String firstNonBlank(String first, String second) {
        return first != null && !first.isBlank() ? first : second;
    }
}
