package io.kubesentry.replay;

import io.kubesentry.explain.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a replay read and what became of it: the last line of its output. */
final class ReplayTotals {

    long events;
    long pods;
    long skipped;
    long issues;
    long logs;
    final Map<String, Long> logsByReason = new TreeMap<>();
    final Map<String, Long> dropped = new LinkedHashMap<>();
    /** Only with a DSN: what Sentry took, and what it did not, by category and by reason. */
    final Map<String, Long> delivered = new TreeMap<>();
    final Map<String, Long> lost = new TreeMap<>();
    boolean sending;
    /** Something sent was lost or still waits. */
    boolean incomplete;

    void count(List<Decision> decisions) {
        for (Decision decision : decisions) {
            switch (decision.kind()) {
                case ISSUE -> issues++;
                case LOGGED -> {
                    logs++;
                    logsByReason.merge(decision.subject().split(" ", 2)[0], 1L, Long::sum);
                }
                default -> dropped.merge(decision.category(), 1L, Long::sum);
            }
        }
    }

    void noOccurrence(String why) {
        dropped.merge(why, 1L, Long::sum);
    }

    String text() {
        StringBuilder line = new StringBuilder("read ").append(events + pods).append(" items (").append(events)
                .append(" Events, ").append(pods).append(" Pods");
        if (skipped > 0) {
            line.append(", ").append(skipped).append(" skipped");
        }
        line.append("): ").append(issues).append(issues == 1 ? " issue, " : " issues, ").append(logs)
                .append(logs == 1 ? " log" : " logs");
        if (!logsByReason.isEmpty()) {
            line.append(" (").append(joined(logsByReason)).append(')');
        }
        line.append("; dropped: ").append(dropped.isEmpty() ? "none" : joined(dropped));
        if (sending) {
            line.append("; delivered to Sentry: ").append(delivered.isEmpty() ? "nothing" : joined(delivered))
                    .append("; lost: ").append(lost.isEmpty() ? "none" : joined(lost));
        }
        return line.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("items", events + pods);
        totals.put("events", events);
        totals.put("pods", pods);
        totals.put("skipped", skipped);
        totals.put("issues", issues);
        totals.put("logs", logs);
        totals.put("dropped", dropped);
        if (sending) {
            totals.put("delivered", delivered);
            totals.put("lost", lost);
        }
        return Map.of("totals", totals);
    }

    private static String joined(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
