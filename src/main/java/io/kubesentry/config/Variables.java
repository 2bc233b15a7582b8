package io.kubesentry.config;

import java.util.List;

/**
 * Every environment variable the program reads, with its default and one example: what {@code --help} prints.
 * VariablesTest keeps this list and the parsers' constants equal, so neither can gain a variable alone.
 */
public final class Variables {

    /** One variable: its name, its default as a user reads it, an example value, and what it does. */
    public record Variable(String name, String defaultText, String example, String meaning) {
    }

    public static final List<Variable> ALL = List.of(
            new Variable(SettingsParser.SENTRY_DSN, "(none: dry run)", "https://key@o1.ingest.sentry.io/42",
                    "where issues and logs go; without it they are printed"),
            new Variable(SettingsParser.SENTRY_ENVIRONMENT, "production", "staging",
                    "Sentry environment of issues and logs"),
            new Variable(SettingsParser.NAMESPACES, "(all)", "default,payments", "namespaces to report"),
            new Variable(SettingsParser.EXCLUDE_NAMESPACES, "kube-system", "kube-system,monitoring",
                    "namespaces never reported (empty: none)"),
            new Variable(SettingsParser.EVENTS, "OOMKilled,CrashLoopBackOff,FailedScheduling,Evicted,FailedMount,"
                    + "Unhealthy,BackOff,ImagePullBackOff,NodeNotReady", "OOMKilled,FailedScheduling",
                    "reasons to report"),
            new Variable(SettingsParser.THRESHOLDS, "Unhealthy:5,BackOff:3,ImagePullBackOff:3 (others 1)",
                    "Unhealthy:10,BackOff:5", "occurrences of one object before an issue"),
            new Variable(SettingsParser.ENABLE_LOGS, "true", "false", "every reported occurrence as a Sentry log"),
            new Variable(SettingsParser.DEDUP_WINDOW, "5m", "30m", "one issue per incident within this window"),
            new Variable(SettingsParser.THRESHOLD_WINDOW, "1h", "2h",
                    "how long a count below threshold waits for the next occurrence"),
            new Variable(SettingsParser.LOG_LEVEL, "info", "debug", "the program's own log level"),
            new Variable(SettingsParser.ROUTES_DIR, "(routes in the jar)", "/etc/kube-sentry/routes",
                    "a directory of *.camel.yaml replacing the bundled routes, reloaded live"),
            new Variable(SettingsParser.ROUTES_RELOAD_INTERVAL, "5s", "30s",
                    "how often the routes directory is checked"),
            new Variable(SettingsParser.ATTACH_LOGS, "false", "true",
                    "attach the crashed container's previous log (RBAC: get pods/log)"),
            new Variable(SettingsParser.ATTACH_LOG_LINES, "50", "200", "lines of that log (1 to 1000)"),
            new Variable(SettingsParser.HTTP_PORT, "8080", "0", "health and metrics port (0: off)"),
            new Variable(SettingsParser.HTTP_HOST, "0.0.0.0", "127.0.0.1", "the address it listens on"),
            new Variable(SettingsParser.READINESS_GRACE, "30s", "1m",
                    "how long a watch may be down before the agent is not ready"),
            new Variable(SettingsParser.BUFFER_SIZE, "2000", "10000",
                    "envelopes held per Sentry project while Sentry does not take data"),
            new Variable(SettingsParser.BUFFER_DIR, "(memory)", "/tmp/kube-sentry",
                    "a writable directory where they wait as files, across restarts"),
            new Variable(SettingsParser.REPLAY_DEADLINE, "3m", "30s",
                    "how long replay keeps retrying Sentry before it gives up (exit 3)"),
            new Variable(SettingsParser.LEADER_ELECTION, "false", "true", "several replicas, one active (a Lease)"),
            new Variable(SettingsParser.LEASE_NAME, "kube-sentry-events", "events-agent",
                    "the Lease is named <this>-leader"),
            new Variable(SettingsParser.LEASE_DURATION, "15s", "30s", "how long a lost leader's Lease holds"),
            new Variable(SettingsParser.POD_NAMESPACE, "(none)", "monitoring",
                    "the agent's namespace, for leader election (downward API)"),
            new Variable(SettingsParser.POD_NAME, "$HOSTNAME", "kube-sentry-events-0",
                    "this replica's name, for leader election (downward API)"),
            new Variable(RoutingParser.CLUSTER, "(none)", "prod-eu", "cluster name: tag k8s.cluster"),
            new Variable(RoutingParser.CLUSTER_IN_FINGERPRINT, "false", "true",
                    "lead fingerprints with the cluster name"),
            new Variable(RoutingParser.TAGS, "(none)", "region=eu,owner=platform", "tags on everything"),
            new Variable(RoutingParser.LABEL_TAGS, "(none)", "app.kubernetes.io/name,team",
                    "workload labels that become tags k8s.label.<key>"),
            new Variable(RoutingParser.PROJECTS, "(none)", "team-a,team-b",
                    "named Sentry projects, each with its DSN in SENTRY_DSN_<NAME>"),
            new Variable(RoutingParser.PROJECT_DSN_PREFIX + "<NAME>", "(none)", "SENTRY_DSN_TEAM_A=https://key@o1.ingest.sentry.io/7",
                    "the DSN of project <name> of KUBE_SENTRY_PROJECTS"),
            new Variable(RoutingParser.ROUTING, "(none)", "namespace:payments-* -> team-a; selector:team=web -> team-b",
                    "which project gets what"),
            new Variable(RoutingParser.ALLOW_DSN_ANNOTATIONS, "true", "false",
                    "honour kube-sentry-events/dsn annotations"),
            new Variable(RoutingParser.DSN_ALLOWED_HOSTS, "(none)", "sentry.example.com,*.sentry.example.com",
                    "where an annotated DSN may point besides Sentry's SaaS and the configured DSNs' hosts"));

    private Variables() {
    }
}
