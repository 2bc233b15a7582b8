package io.kubesentry.threshold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times one object's failure has happened, from the {@link Signal}s seen: per kind, the sum of its
 * sources' latest counts (a growing count on one Event object adds its growth, a re-delivered one nothing);
 * across kinds, the largest; at least one once any signal was seen. Signals of one happening therefore count
 * once, in whatever order they arrive.
 *
 * @param byKind the attempt signals' counts
 * @param seen   whether any signal, attempt or state, was seen
 */
public record Happenings(Map<String, Sources> byKind, boolean seen) {

    /** Sources remembered per kind; past it the oldest is folded into a total (its later growth counts again). */
    static final int SOURCES_PER_KIND = 32;

    public Happenings {
        byKind = Map.copyOf(byKind);
    }

    public static Happenings none() {
        return new Happenings(Map.of(), false);
    }

    public Happenings with(Signal signal) {
        if (!signal.attempt()) {
            return seen ? this : new Happenings(byKind, true);
        }
        Map<String, Sources> next = new LinkedHashMap<>(byKind);
        next.put(signal.kind(), next.getOrDefault(signal.kind(), Sources.EMPTY).with(signal));
        return new Happenings(next, true);
    }

    public long count() {
        long attempts = byKind.values().stream().mapToLong(Sources::total).max().orElse(0);
        return Math.max(seen ? 1 : 0, attempts);
    }

    /** The cumulative counts of one kind's sources, oldest first, and what was folded away from them. */
    public record Sources(Map<String, Long> counts, long folded) {

        static final Sources EMPTY = new Sources(Map.of(), 0);

        Sources with(Signal signal) {
            LinkedHashMap<String, Long> next = new LinkedHashMap<>(counts);
            next.merge(signal.source(), Math.max(1, signal.count()), Math::max);
            long nextFolded = folded;
            while (next.size() > SOURCES_PER_KIND) {
                String oldest = next.keySet().iterator().next();
                nextFolded += next.remove(oldest);
            }
            return new Sources(Collections.unmodifiableMap(next), nextFolded);
        }

        long total() {
            return folded + counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
