package io.kubesentry.threshold;

import static io.kubesentry.classify.Reasons.CRASH_LOOP_BACK_OFF;
import static io.kubesentry.classify.Reasons.OOM_KILLED;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import io.kubesentry.podstatus.PodStatusReader;

/**
 * What one occurrence says about how often its failure has happened.
 * <p>
 * An <em>attempt</em> signal is written once per happening: its {@code count} (an Event object's count, a
 * container's restart count) is how many happenings its {@code source} has seen so far. Signals of one
 * {@code kind} (same raw reason, same message lead) are written once per happening each, by several sources
 * when the details differ: their counts add up. Different kinds are different views of the same happenings
 * ("Failed to pull image" and "Error: ErrImagePull" are written once each per failed pull): the largest wins.
 * <p>
 * A <em>state</em> signal says the failure is still there (a back-off between attempts, a waiting state): it
 * proves one happening however often it is written.
 *
 * @param source the Event object (uid) or Pod-status series the count belongs to
 */
public record Signal(String kind, String source, long count, boolean attempt) {

    private static final int LEAD_LENGTH = 80;

    public static Signal of(Occurrence occurrence) {
        ClusterEvent event = occurrence.event();
        String raw = event.reason();
        if (PodStatusReader.SOURCE.equals(event.source())) {
            if (!raw.equals(occurrence.reason())) {
                return state(event); // a crash loop reported as the OOM kill behind it: its restarts are no kills
            }
            return switch (raw) {
                case CRASH_LOOP_BACK_OFF -> new Signal("restarts", event.uid(), event.count(), true);
                case OOM_KILLED -> new Signal("terminations", event.uid(), 1, true);
                default -> state(event); // waiting states, Evicted: no counter of their own
            };
        }
        // "Back-off pulling image", "Back-off restarting failed container", "Error: ImagePullBackOff": written on
        // every sync between two attempts, not once per attempt
        if (raw.equals("BackOff") || (raw.equals("Failed") && event.message().startsWith("Error: ImagePullBackOff"))) {
            return state(event);
        }
        return new Signal(raw + ": " + lead(event.message()), event.uid(), event.count(), true);
    }

    private static Signal state(ClusterEvent event) {
        return new Signal("", event.uid(), 1, false);
    }

    /** The message up to its first detail (colon, quote, parenthesis): one template of one component. */
    static String lead(String message) {
        int end = Math.min(message.length(), LEAD_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (c == ':' || c == '"' || c == '(') {
                return message.substring(0, i).strip();
            }
        }
        return message.substring(0, end).strip();
    }
}
