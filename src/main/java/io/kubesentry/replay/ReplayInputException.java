package io.kubesentry.replay;

/** A replay input that cannot be read at all: the message names the input and what was expected. */
public final class ReplayInputException extends Exception {

    private final int exitCode;

    public ReplayInputException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
