package io.kubesentry.kubernetes;

/** A recording that cannot be read at all: the message names the input and what was expected. */
public final class UnreadableRecordingException extends Exception {

    /** What is wrong with the input as a whole. */
    public enum Problem {
        /** It could not be read (an I/O error). */
        CANNOT_READ,
        /** It was read, but it is not what {@code kubectl get events,pods -A -o json} prints. */
        NOT_KUBECTL_JSON
    }

    private final Problem problem;

    UnreadableRecordingException(String message, Problem problem) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
