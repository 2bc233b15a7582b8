package io.kubesentry.config;

import io.kubesentry.classify.KnownReasons;
import io.kubesentry.classify.Reasons;
import io.kubesentry.core.ConfigException;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.threshold.Thresholds;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@link Settings} from environment variables; every bad value is a {@link ConfigException}. */
public final class SettingsParser {

    public static final String SENTRY_DSN = "SENTRY_DSN";
    public static final String SENTRY_ENVIRONMENT = "SENTRY_ENVIRONMENT";
    public static final String NAMESPACES = "KUBE_SENTRY_NAMESPACES";
    public static final String EXCLUDE_NAMESPACES = "KUBE_SENTRY_EXCLUDE_NAMESPACES";
    public static final String EVENTS = "KUBE_SENTRY_EVENTS";
    public static final String THRESHOLDS = "KUBE_SENTRY_THRESHOLDS";
    public static final String ENABLE_LOGS = "KUBE_SENTRY_ENABLE_LOGS";
    public static final String DEDUP_WINDOW = "KUBE_SENTRY_DEDUP_WINDOW";
    public static final String THRESHOLD_WINDOW = "KUBE_SENTRY_THRESHOLD_WINDOW";
    public static final String LOG_LEVEL = "KUBE_SENTRY_LOG_LEVEL";
    public static final String ROUTES_DIR = "KUBE_SENTRY_ROUTES_DIR";
    public static final String ATTACH_LOGS = "KUBE_SENTRY_ATTACH_LOGS";
    public static final String ATTACH_LOG_LINES = "KUBE_SENTRY_ATTACH_LOG_LINES";
    public static final String HTTP_PORT = "KUBE_SENTRY_HTTP_PORT";
    public static final String HTTP_HOST = "KUBE_SENTRY_HTTP_HOST";
    public static final String ROUTES_RELOAD_INTERVAL = "KUBE_SENTRY_ROUTES_RELOAD_INTERVAL";
    public static final String LEADER_ELECTION = "KUBE_SENTRY_LEADER_ELECTION";
    public static final String READINESS_GRACE = "KUBE_SENTRY_READINESS_GRACE";
    public static final String BUFFER_SIZE = "KUBE_SENTRY_BUFFER_SIZE";
    public static final String BUFFER_DIR = "KUBE_SENTRY_BUFFER_DIR";
    public static final String LEASE_NAME = "KUBE_SENTRY_LEASE_NAME";
    public static final String LEASE_DURATION = "KUBE_SENTRY_LEASE_DURATION";
    public static final String REPLAY_DEADLINE = "KUBE_SENTRY_REPLAY_DEADLINE";
    /** Set by the Deployment from the downward API. */
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    public static final String POD_NAME = "POD_NAME";

    /** RFC 1123 label: what Kubernetes accepts as a namespace name. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final Pattern REASON = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private SettingsParser() {
    }

    public static Settings parse(Map<String, String> env) {
        Optional<SentryDsn> sentryDsn = value(env, SENTRY_DSN).map(dsn -> SentryDsn.parse(SENTRY_DSN, dsn));
        return new Settings(
                sentryDsn,
                value(env, SENTRY_ENVIRONMENT).orElse("production"),
                namespaces(env, NAMESPACES, ""),
                namespaces(env, EXCLUDE_NAMESPACES, "kube-system"),
                reasons(env),
                thresholds(env),
                bool(env, ENABLE_LOGS, true),
                duration(env, DEDUP_WINDOW, Duration.ofMinutes(5)),
                duration(env, THRESHOLD_WINDOW, Duration.ofHours(1)),
                value(env, LOG_LEVEL).map(level -> LogLevel.parse(LOG_LEVEL, level)).orElse(LogLevel.INFO),
                routesDirectory(env),
                bool(env, ATTACH_LOGS, false),
                count(env, ATTACH_LOG_LINES, 50, 1, 1000),
                count(env, HTTP_PORT, 8080, 0, 65535),
                address(env, HTTP_HOST, "0.0.0.0"),
                duration(env, ROUTES_RELOAD_INTERVAL, Duration.ofSeconds(5)),
                leaderElection(env),
                RoutingParser.parse(env, sentryDsn),
                duration(env, READINESS_GRACE, Duration.ofSeconds(30)),
                count(env, BUFFER_SIZE, 2_000, 10, 1_000_000),
                bufferDirectory(env),
                duration(env, REPLAY_DEADLINE, Duration.ofMinutes(3)));
    }

    private static Optional<LeaderElection> leaderElection(Map<String, String> env) {
        if (!bool(env, LEADER_ELECTION, false)) {
            return Optional.empty();
        }
        String namespace = value(env, POD_NAMESPACE).orElseThrow(() -> new ConfigException(POD_NAMESPACE,
                "not set; leader election needs the agent's namespace (valueFrom.fieldRef metadata.namespace)"));
        String pod = value(env, POD_NAME).or(() -> value(env, "HOSTNAME")).orElseThrow(() ->
                new ConfigException(POD_NAME, "not set; leader election needs the pod's name"));
        String lease = value(env, LEASE_NAME).orElse("kube-sentry-events");
        if (!NAMESPACE.matcher(lease).matches()) {
            throw new ConfigException(LEASE_NAME, "'" + lease + "' is not a Lease name; expected a DNS label");
        }
        return Optional.of(new LeaderElection(namespace, lease, pod,
                duration(env, LEASE_DURATION, Duration.ofSeconds(15))));
    }

    private static int count(Map<String, String> env, String variable, int fallback, int min, int max) {
        return value(env, variable).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(variable, "'" + v + "' is not a whole number from " + min + " to " + max);
        }).orElse(fallback);
    }

    /** An IP address literal: a host name would be resolved at start-up, and a typo would bind somewhere else. */
    private static String address(Map<String, String> env, String variable, String fallback) {
        return value(env, variable).map(v -> {
            if (IPV4.matcher(v).matches() || (v.contains(":") && isIpv6Literal(v))) {
                return v;
            }
            throw new ConfigException(variable, "'" + v + "' is not an IP address; expected such as 0.0.0.0 (every interface) or 127.0.0.1");
        }).orElse(fallback);
    }

    /** Text with a colon is read as an IPv6 literal, never looked up. */
    private static boolean isIpv6Literal(String text) {
        try {
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static Optional<String> value(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).map(String::trim).filter(v -> !v.isEmpty());
    }

    static Set<String> list(String text) {
        Set<String> items = new LinkedHashSet<>();
        Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        return items;
    }

    private static Set<String> namespaces(Map<String, String> env, String variable, String fallback) {
        // set but empty means "none": KUBE_SENTRY_EXCLUDE_NAMESPACES= watches kube-system too
        Set<String> names = list(env.containsKey(variable) ? env.get(variable) : fallback);
        for (String name : names) {
            if (!NAMESPACE.matcher(name).matches()) {
                throw new ConfigException(variable, "'" + name + "' is not a namespace name; "
                        + "expected comma-separated names such as default,payments");
            }
        }
        return names;
    }

    private static Set<String> reasons(Map<String, String> env) {
        Set<String> reasons = new LinkedHashSet<>();
        for (String reason : value(env, EVENTS).map(SettingsParser::list).orElse(Set.of())) {
            if (!REASON.matcher(reason).matches()) {
                throw new ConfigException(EVENTS, "'" + reason + "' is not an event reason; "
                        + "expected comma-separated reasons such as OOMKilled,FailedScheduling");
            }
            reasons.add(KnownReasons.spelled(reason));
        }
        return reasons.isEmpty() ? Set.copyOf(Reasons.DEFAULT_CRITICAL) : reasons;
    }

    private static Thresholds thresholds(Map<String, String> env) {
        String format = "expected Reason:count pairs with counts from 1, such as Unhealthy:10,BackOff:5";
        Map<String, Integer> overrides = new LinkedHashMap<>();
        for (String pair : value(env, THRESHOLDS).map(SettingsParser::list).orElse(Set.of())) {
            String[] parts = pair.split(":", -1);
            if (parts.length != 2 || !REASON.matcher(parts[0].trim()).matches()) {
                throw new ConfigException(THRESHOLDS, "'" + pair + "' is not Reason:count; " + format);
            }
            int count;
            try {
                count = Integer.parseInt(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(THRESHOLDS, "'" + pair + "' has no whole-number count; " + format);
            }
            if (count < 1) {
                throw new ConfigException(THRESHOLDS, "'" + pair + "' has a count below 1; " + format);
            }
            overrides.put(KnownReasons.spelled(parts[0].trim()), count);
        }
        return Thresholds.withOverrides(overrides);
    }

    /**
     * One line for each reason in KUBE_SENTRY_EVENTS or KUBE_SENTRY_THRESHOLDS that is no known reason: it is kept
     * (any Event reason can be listed) and matched as typed, but is likely a typo.
     */
    public static List<String> unknownReasonWarnings(Settings settings) {
        List<String> warnings = new ArrayList<>();
        settings.reasons().stream().filter(reason -> KnownReasons.canonical(reason).isEmpty()).sorted()
                .forEach(reason -> warnings.add(unknownReason(EVENTS, reason)));
        settings.thresholds().byReason().keySet().stream().filter(reason -> KnownReasons.canonical(reason).isEmpty())
                .sorted().forEach(reason -> warnings.add(unknownReason(THRESHOLDS, reason)));
        return warnings;
    }

    private static String unknownReason(String variable, String reason) {
        return variable + ": '" + reason + "' is no reason kube-sentry-events knows; kept, and matched to Event"
                + " reasons exactly as written. Closest known: " + String.join(", ", KnownReasons.closest(reason, 3));
    }

    static boolean bool(Map<String, String> env, String variable, boolean fallback) {
        return value(env, variable).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(variable, "'" + v + "' is not a boolean; expected true or false");
        }).orElse(fallback);
    }

    private static Duration duration(Map<String, String> env, String variable, Duration fallback) {
        return value(env, variable).map(v -> Durations.parse(variable, v)).orElse(fallback);
    }

    private static Optional<Path> bufferDirectory(Map<String, String> env) {
        return value(env, BUFFER_DIR).map(dir -> {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path) || !Files.isWritable(path)) {
                throw new ConfigException(BUFFER_DIR, "'" + dir + "' is not a writable directory; expected a volume "
                        + "such as an emptyDir where unsent Sentry data waits");
            }
            return path;
        });
    }

    private static Optional<Path> routesDirectory(Map<String, String> env) {
        return value(env, ROUTES_DIR).map(dir -> {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                throw new ConfigException(ROUTES_DIR, "'" + dir + "' is not a directory; expected the folder that "
                        + "holds the *.camel.yaml route files");
            }
            return path;
        });
    }
}
