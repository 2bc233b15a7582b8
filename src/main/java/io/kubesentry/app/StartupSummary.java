package io.kubesentry.app;

import io.kubesentry.config.Durations;
import io.kubesentry.config.Settings;
import io.kubesentry.core.SentryDsn;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The one line the agent logs at start-up to say what it will do (DSN keys hidden). */
public final class StartupSummary {

    private StartupSummary() {
    }

    /**
     * @param apiServer the API server's URL
     * @param context   the kubeconfig context, or empty in the cluster (service account)
     */
    public static String line(Settings settings, String apiServer, Optional<String> context) {
        return "Will watch " + apiServer + context.map(c -> " (context " + c + ")").orElse(" (in-cluster)")
                + ": Events and Pods in " + namespaces(settings)
                + "; reasons " + reasons(settings)
                + "; one issue per incident per " + Durations.text(settings.dedupWindow())
                + "; " + destinations(settings);
    }

    private static String namespaces(Settings settings) {
        String listed = settings.namespaces().isEmpty() ? "all namespaces"
                : "namespaces " + String.join(",", new TreeSet<>(settings.namespaces()));
        return settings.excludedNamespaces().isEmpty() ? listed
                : listed + " except " + String.join(",", new TreeSet<>(settings.excludedNamespaces()));
    }

    /** Each reason with its threshold when it needs more than one occurrence: {@code BackOff x3}. */
    private static String reasons(Settings settings) {
        return new TreeSet<>(settings.reasons()).stream().map(reason -> {
            int threshold = settings.thresholds().of(reason);
            return threshold > 1 ? reason + " x" + threshold : reason;
        }).collect(Collectors.joining(","));
    }

    private static String destinations(Settings settings) {
        String fallback = settings.sentryDsn().map(SentryDsn::redacted).map(dsn -> "Sentry " + dsn)
                .orElse("dry run (no SENTRY_DSN: issues and logs are printed, nothing is sent)");
        if (settings.routing().projects().isEmpty()) {
            return fallback;
        }
        return fallback + "; projects " + settings.routing().projects().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().redacted()).collect(Collectors.joining(", "));
    }
}
