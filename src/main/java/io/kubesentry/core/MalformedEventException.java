package io.kubesentry.core;

/** An event that lacks what any report needs; it is logged and skipped, never fatal to the route. */
public final class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
