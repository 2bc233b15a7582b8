package io.kubesentry.report;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last few occurrences of each workload, which an issue carries as breadcrumbs. */
public final class RecentEvents {

    /** One remembered occurrence. */
    public record Recent(Instant seen, String reason, String object, String message) {
    }

    private final int perWorkload;
    private final Cache<String, Deque<Recent>> byWorkload;

    public RecentEvents(int perWorkload, Duration retention, long maximumWorkloads) {
        this.perWorkload = perWorkload;
        this.byWorkload = Caffeine.newBuilder().expireAfterAccess(retention).maximumSize(maximumWorkloads).build();
    }

    /**
     * A breadcrumb keeps at most this much of its message: an Event's note is at most 1 KB, but a Pod
     * status message can be 8 KB, and every breadcrumb of thousands of workloads stays in the heap.
     */
    static final int MESSAGE_LENGTH = 1_024;

    public void remember(Occurrence occurrence) {
        Deque<Recent> recent = byWorkload.get(key(occurrence), k -> new ArrayDeque<>(perWorkload));
        Instant seen = occurrence.event().lastSeen() == null ? Instant.now() : occurrence.event().lastSeen();
        synchronized (recent) {
            if (recent.size() == perWorkload) {
                recent.removeFirst();
            }
            recent.addLast(new Recent(seen, occurrence.reason(),
                    occurrence.object().kind() + "/" + occurrence.object().name(), shortened(occurrence.message())));
        }
    }

    static String shortened(String message) {
        return ClusterEvent.cut(message, MESSAGE_LENGTH, "…");
    }

    /** Oldest first. */
    public List<Recent> of(Occurrence occurrence) {
        Deque<Recent> recent = byWorkload.getIfPresent(key(occurrence));
        if (recent == null) {
            return List.of();
        }
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private static String key(Occurrence occurrence) {
        return occurrence.namespace() + "|" + occurrence.workload().qualifiedName();
    }
}
