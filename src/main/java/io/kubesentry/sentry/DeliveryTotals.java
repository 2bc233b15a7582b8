package io.kubesentry.sentry;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reached Sentry and what was lost, since start: issues (events) and logs, each lost one counted under
 * the reason it was lost for ({@code queue_overflow}, {@code send_error}, {@code shutdown}, ...). Read-only; a
 * replay reads it after its flush to tell whether everything arrived.
 *
 * @param waiting envelopes still queued for Sentry (neither delivered nor lost yet)
 */
public record DeliveryTotals(long issuesDelivered, long logsDelivered, Map<String, Long> issuesLost,
        Map<String, Long> logsLost, long waiting) {

    public static final DeliveryTotals NONE = new DeliveryTotals(0, 0, Map.of(), Map.of(), 0);

    /** The lost counts are kept sorted by reason, as {@link #summary()} prints them. */
    public DeliveryTotals {
        issuesLost = Collections.unmodifiableSortedMap(new TreeMap<>(issuesLost));
        logsLost = Collections.unmodifiableSortedMap(new TreeMap<>(logsLost));
    }

    public long issuesLostTotal() {
        return issuesLost.values().stream().mapToLong(Long::longValue).sum();
    }

    public long logsLostTotal() {
        return logsLost.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when anything was lost, or still waits (not delivered). */
    public boolean incomplete() {
        return issuesLostTotal() > 0 || logsLostTotal() > 0 || waiting > 0;
    }

    public DeliveryTotals plus(DeliveryTotals other) {
        return new DeliveryTotals(issuesDelivered + other.issuesDelivered, logsDelivered + other.logsDelivered,
                sum(issuesLost, other.issuesLost), sum(logsLost, other.logsLost), waiting + other.waiting);
    }

    /** e.g. {@code issues 12 delivered, 3 lost (queue_overflow 3); logs 900 delivered, 0 lost} */
    public String summary() {
        return "issues " + issuesDelivered + " delivered, " + issuesLostTotal() + " lost" + reasons(issuesLost)
                + "; logs " + logsDelivered + " delivered, " + logsLostTotal() + " lost" + reasons(logsLost)
                + (waiting > 0 ? "; " + waiting + " envelopes still waiting" : "");
    }

    private static String reasons(Map<String, Long> lost) {
        if (lost.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (");
        lost.forEach((reason, count) -> text.append(text.length() > 2 ? ", " : "").append(reason)
                .append(' ').append(count));
        return text.append(')').toString();
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((reason, count) -> sum.merge(reason, count, Long::sum));
        return sum;
    }
}
