package io.kubesentry.threshold;

import io.kubesentry.event.Occurrence;

/**
 * An occurrence with how often its object has shown this reason: the event's own count or the number of
 * occurrences seen, whichever is larger. Several Event objects can report one incident (an image pull
 * failure writes four), so neither number alone is the truth.
 */
public record CountedOccurrence(Occurrence occurrence, long seen) {

    public static CountedOccurrence first(Occurrence occurrence) {
        return new CountedOccurrence(occurrence, 1);
    }

    public CountedOccurrence next(Occurrence latest) {
        return new CountedOccurrence(latest, seen + 1);
    }

    public long count() {
        return Math.max(occurrence.event().count(), seen);
    }
}
