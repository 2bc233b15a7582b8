package io.kubesentry.threshold;

import io.kubesentry.core.Occurrence;

/**
 * The latest occurrence of one object and reason, with how many times that failure has happened so far
 * ({@link Happenings}): attempts, not signals. One failed image pull writes four Events and a waiting state;
 * it counts once.
 */
public record CountedOccurrence(Occurrence occurrence, Happenings happenings) {

    public static CountedOccurrence first(Occurrence occurrence) {
        return new CountedOccurrence(occurrence, Happenings.none().with(Signal.of(occurrence)));
    }

    public CountedOccurrence next(Occurrence latest) {
        return new CountedOccurrence(latest, happenings.with(Signal.of(latest)));
    }

    /** The same count for the occurrence as a later step enriched it. */
    public CountedOccurrence with(Occurrence enriched) {
        return new CountedOccurrence(enriched, happenings);
    }

    public long count() {
        return happenings.count();
    }
}
