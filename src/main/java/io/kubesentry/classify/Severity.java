package io.kubesentry.classify;

/** How loud a reason is in Sentry: the issue level and the log level. */
public enum Severity {
    ERROR, WARNING, INFO
}
