package io.kubesentry.explain;

import io.kubesentry.config.Durations;
import io.kubesentry.core.Occurrence;
import io.kubesentry.filter.Rejection;
import io.kubesentry.report.IssueReport;
import io.kubesentry.threshold.CountedOccurrence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Records what the routes' own beans decide about the item a thread is sending through them, for replay's
 * explain mode and totals. The beans bound in the registry tell it as they decide; it decides nothing.
 * Outside {@link #begin()} and {@link #end()} (the agent's watches, Camel's timers) it records nothing.
 */
public final class Decisions {

    private final ThreadLocal<Item> current = new ThreadLocal<>();
    private final Duration dedupWindow;

    public Decisions(Duration dedupWindow) {
        this.dedupWindow = dedupWindow;
    }

    /** What the item being recorded has met so far. */
    private static final class Item {
        final List<Decision> decisions = new ArrayList<>();
        String occurrence = "";
        String incident = "";
    }

    /** Starts recording the decisions this thread's next item meets. */
    public void begin() {
        current.set(new Item());
    }

    /** The decisions since {@link #begin()}, in order; recording stops. */
    public List<Decision> end() {
        Item item = current.get();
        current.remove();
        return item == null ? List.of() : List.copyOf(item.decisions);
    }

    /** The occurrence the next decisions are about (each occurrence meets the filter first). */
    public Occurrence considering(Occurrence occurrence) {
        Item item = current.get();
        if (item != null) {
            item.occurrence = subject(occurrence);
        }
        return occurrence;
    }

    /** @param rejection why the filter rejected it: asked only while recording */
    public boolean watched(Occurrence occurrence, boolean accepted,
            Function<Occurrence, Optional<Rejection>> rejection) {
        if (!accepted && current.get() != null) {
            Optional<Rejection> why = rejection.apply(occurrence);
            Item item = current.get();
            item.decisions.add(new Decision(Decision.Kind.NOT_WATCHED, item.occurrence,
                    why.map(it -> rule(occurrence, it)).orElse(""), why.map(Rejection::category).orElse(""), ""));
        }
        return accepted;
    }

    public void redelivered() {
        record(Decision.Kind.REDELIVERED, "already delivered with this uid and count");
    }

    public boolean ignored(boolean ignored) {
        if (ignored) {
            record(Decision.Kind.IGNORED, "kube-sentry-events/ignore on the workload or its namespace");
        }
        return ignored;
    }

    public void logged() {
        record(Decision.Kind.LOGGED, "");
    }

    /** @param threshold the count needed: asked only while recording */
    public boolean threshold(CountedOccurrence counted, boolean reached, IntSupplier threshold) {
        Item item = current.get();
        if (item != null) {
            item.occurrence = subject(counted.occurrence());
            if (!reached) {
                record(Decision.Kind.BELOW_THRESHOLD, counted.count() + " of " + threshold.getAsInt());
            }
        }
        return reached;
    }

    /**
     * The incident the next issue decision is about: its key is what the dedup repository is asked.
     *
     * @param fingerprint the issue's fingerprint: built only while recording
     */
    public String incident(String key, Supplier<List<String>> fingerprint) {
        Item item = current.get();
        if (item != null) {
            item.incident = String.valueOf(fingerprint.get());
        }
        return key;
    }

    public void deduplicated() {
        Item item = current.get();
        if (item != null) {
            record(Decision.Kind.DEDUPLICATED, "within the " + Durations.text(dedupWindow) + " window of issue "
                    + item.incident);
        }
    }

    public IssueReport issue(CountedOccurrence counted, IssueReport issue) {
        Item item = current.get();
        if (item != null) {
            item.decisions.add(new Decision(Decision.Kind.ISSUE, item.occurrence, issue.fingerprint() + " count "
                    + counted.count() + ", project " + issue.destination().project(), Decision.Kind.ISSUE.text(),
                    issue.message()));
        }
        return issue;
    }

    private void record(Decision.Kind kind, String detail) {
        Item item = current.get();
        if (item != null) {
            item.decisions.add(new Decision(kind, item.occurrence, detail));
        }
    }

    private static String subject(Occurrence occurrence) {
        return occurrence.reason() + " " + occurrence.object().kind() + " "
                + (occurrence.namespace().isEmpty() ? "" : occurrence.namespace() + "/") + occurrence.object().name()
                + occurrence.object().container().map(c -> " container " + c).orElse("");
    }

    /** The rule behind a rejection, with the value it met and the variable that sets it. */
    private static String rule(Occurrence occurrence, Rejection rejection) {
        return switch (rejection.rule()) {
            case REASON_NOT_WATCHED -> "reason " + occurrence.reason() + " is not in KUBE_SENTRY_EVENTS";
            case NAMESPACE_NOT_WATCHED -> "namespace " + occurrence.namespace() + " is not in KUBE_SENTRY_NAMESPACES";
            case NAMESPACE_EXCLUDED -> "namespace " + occurrence.namespace() + " is in KUBE_SENTRY_EXCLUDE_NAMESPACES";
            case BEFORE_START_UP -> rejection.text();
        };
    }

}
