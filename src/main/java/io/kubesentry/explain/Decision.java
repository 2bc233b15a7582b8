package io.kubesentry.explain;

/**
 * What the routes decided about one occurrence of an item, and why.
 *
 * @param subject the occurrence: its reason and object (a Pod's status may hold several)
 * @param detail  the why: the rule that dropped it, {@code 2 of 3}, the issue's fingerprint and project
 * @param category what it is counted as in a replay's totals: the kind, or which rule did not watch it
 * @param message  an issue's message, else empty
 */
public record Decision(Kind kind, String subject, String detail, String category, String message) {

    public Decision(Kind kind, String subject, String detail) {
        this(kind, subject, detail, kind.text(), "");
    }

    public enum Kind {
        NOT_WATCHED("not watched"),
        REDELIVERED("re-delivery"),
        IGNORED("ignored workload"),
        LOGGED("logged"),
        BELOW_THRESHOLD("below threshold"),
        DEDUPLICATED("deduplicated"),
        ISSUE("issue raised");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** {@code below threshold (2 of 3)}, {@code not watched (namespace kube-system excluded ...)}. */
    public String describe() {
        return detail.isEmpty() ? kind.text() : kind.text() + " (" + detail + ")";
    }
}
