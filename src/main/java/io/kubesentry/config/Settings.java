package io.kubesentry.config;

import io.kubesentry.core.SentryDsn;
import io.kubesentry.routing.RoutingSettings;
import io.kubesentry.threshold.Thresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the program is told by its environment, parsed once and validated at start-up.
 *
 * @param namespaces        namespaces to watch; empty means all
 * @param reasons           reasons to report (after classification)
 * @param thresholdWindow   how long an object's occurrences count toward its threshold after the last one
 * @param routesDirectory   a directory whose {@code *.camel.yaml} replace the routes shipped in the jar
 * @param attachLogs        attach the previous container log to crash issues (needs {@code pods/log} get)
 * @param httpPort          port of the health and metrics server; 0 turns it off
 * @param httpHost          address it listens on
 * @param leaderElection    the Lease that picks one active replica, when replicas run
 * @param replayDeadline    how long a replay retries Sentry before it counts what is left as lost
 */
public record Settings(
        Optional<SentryDsn> sentryDsn,
        String environment,
        Set<String> namespaces,
        Set<String> excludedNamespaces,
        Set<String> reasons,
        Thresholds thresholds,
        boolean logsEnabled,
        Duration dedupWindow,
        Duration thresholdWindow,
        LogLevel logLevel,
        Optional<Path> routesDirectory,
        boolean attachLogs,
        int attachLogLines,
        int httpPort,
        String httpHost,
        Duration routesReloadInterval,
        Optional<LeaderElection> leaderElection,
        RoutingSettings routing,
        Duration readinessGrace,
        int bufferEnvelopes,
        Optional<Path> bufferDirectory,
        Duration replayDeadline) {

    public Settings {
        namespaces = Set.copyOf(namespaces);
        excludedNamespaces = Set.copyOf(excludedNamespaces);
        reasons = Set.copyOf(reasons);
    }

    /** The defaults of every variable, as if the environment were empty. */
    public static Settings defaults() {
        return SettingsParser.parse(Map.of());
    }

    @Override
    public String toString() {
        return "Settings[sentryDsn=" + sentryDsn.map(SentryDsn::redacted).orElse("(none: dry run)")
                + ", environment=" + environment + ", namespaces=" + (namespaces.isEmpty() ? "(all)" : namespaces)
                + ", excludedNamespaces=" + excludedNamespaces + ", reasons=" + reasons
                + ", thresholds=" + thresholds.byReason() + ", logsEnabled=" + logsEnabled
                + ", dedupWindow=" + dedupWindow + ", thresholdWindow=" + thresholdWindow
                + ", logLevel=" + logLevel + ", routesDirectory=" + routesDirectory.map(Path::toString).orElse("(bundled)")
                + ", attachLogs=" + attachLogs + ", attachLogLines=" + attachLogLines + ", httpPort=" + httpPort + ", httpHost=" + httpHost + ", routesReloadInterval=" + routesReloadInterval
                + ", leaderElection=" + leaderElection.map(Object::toString).orElse("off")
                + ", cluster=" + routing.cluster().orElse("(none)") + ", projects=" + routing.projects().keySet()
                + ", routing=" + routing.rules() + ", readinessGrace=" + readinessGrace + ", bufferEnvelopes=" + bufferEnvelopes
                + ", bufferDirectory=" + bufferDirectory.map(Path::toString).orElse("(memory)")
                + ", replayDeadline=" + replayDeadline + "]";
    }
}
