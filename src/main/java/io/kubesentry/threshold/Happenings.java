package io.kubesentry.threshold;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times one object's failure has happened, from the {@link Signal}s seen: per kind, the sum of its
 * sources' latest counts (a growing count on one Event object adds its growth, a re-delivered one nothing);
 * across kinds, the largest; at least one once anything was seen. Signals of one happening therefore count
 * once, in whatever order they arrive.
 */
public record Happenings(Map<String, Sources> byKind) {

    /** Sources remembered per kind; past it the oldest is folded into a total (its later growth counts again). */
    static final int SOURCES_PER_KIND = 32;

    public Happenings {
        byKind = Map.copyOf(byKind);
    }

    public static Happenings none() {
        return new Happenings(Map.of());
    }

    public Happenings with(Signal signal) {
        if (!signal.attempt()) {
            return byKind.isEmpty() ? new Happenings(Map.of("", Sources.EMPTY.with(signal))) : this;
        }
        Map<String, Sources> next = new LinkedHashMap<>(byKind);
        next.put(signal.kind(), next.getOrDefault(signal.kind(), Sources.EMPTY).with(signal));
        return new Happenings(next);
    }

    public long count() {
        return byKind.values().stream().mapToLong(Sources::total).max().orElse(0);
    }

    /** The cumulative counts of one kind's sources, and what was folded away from them. */
    public record Sources(Map<String, Long> counts, long folded) {

        static final Sources EMPTY = new Sources(Map.of(), 0);

        public Sources {
            counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        Sources with(Signal signal) {
            LinkedHashMap<String, Long> next = new LinkedHashMap<>(counts);
            next.merge(signal.source(), Math.max(1, signal.count()), Math::max);
            long nextFolded = folded;
            while (next.size() > SOURCES_PER_KIND) {
                String oldest = next.keySet().iterator().next();
                nextFolded += next.remove(oldest);
            }
            return new Sources(next, nextFolded);
        }

        long total() {
            return folded + counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
