package io.kubesentry.core;

import java.util.Optional;

/**
 * Which Sentry project an occurrence goes to: a configured project by name, a DSN named by an annotation, or
 * the default {@code SENTRY_DSN}.
 */
public record Destination(String project, Optional<SentryDsn> dsn) {

    public static final String DEFAULT_PROJECT = "default";
    public static final Destination DEFAULT = new Destination(DEFAULT_PROJECT, Optional.empty());

    public static Destination project(String name) {
        return new Destination(name, Optional.empty());
    }

    public static Destination dsn(SentryDsn dsn) {
        return new Destination("dsn:" + dsn.redacted(), Optional.of(dsn));
    }

    @Override
    public String toString() {
        return project;
    }
}
