package io.kubesentry.cli;

/** The program's exit codes (sysexits.h where one fits), documented in docs/cli.md. */
public final class ExitCode {

    public static final int OK = 0;
    /** A KUBE_SENTRY_* or SENTRY_* variable has a value that cannot be used. */
    public static final int CONFIG = 2;
    /** A replay with a DSN ended with issues or logs Sentry did not take (refused, or left at the deadline). */
    public static final int NOT_DELIVERED = 3;
    /** An unknown command or option, or a missing argument. */
    public static final int USAGE = 64;
    /** A replay input that is not what kubectl prints: empty, not JSON, not Kubernetes objects, too deep. */
    public static final int DATA = 65;
    /** A replay input that cannot be opened: missing, unreadable, a directory. */
    public static final int NO_INPUT = 66;

    private ExitCode() {
    }
}
