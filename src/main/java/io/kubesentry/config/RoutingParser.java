package io.kubesentry.config;

import io.kubesentry.core.ConfigException;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.routing.DsnAllowList;
import io.kubesentry.routing.RoutingRule;
import io.kubesentry.routing.RoutingSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the multi-team variables: cluster name, global and label tags, Sentry projects and the routing table. */
final class RoutingParser {

    static final String CLUSTER = "KUBE_SENTRY_CLUSTER";
    static final String CLUSTER_IN_FINGERPRINT = "KUBE_SENTRY_CLUSTER_IN_FINGERPRINT";
    static final String TAGS = "KUBE_SENTRY_TAGS";
    static final String LABEL_TAGS = "KUBE_SENTRY_LABEL_TAGS";
    static final String PROJECTS = "KUBE_SENTRY_PROJECTS";
    static final String ROUTING = "KUBE_SENTRY_ROUTING";
    static final String PROJECT_DSN_PREFIX = "SENTRY_DSN_";
    static final String ALLOW_DSN_ANNOTATIONS = "KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS";
    static final String DSN_ALLOWED_HOSTS = "KUBE_SENTRY_DSN_ALLOWED_HOSTS";
    private static final Pattern ALLOWED_HOST = Pattern.compile(
            "(http://)?(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final String ROUTING_FORMAT = "expected rules separated by ';' such as "
            + "namespace:payments-* -> team-a; selector:team=checkout -> team-b";

    private RoutingParser() {
    }

    /** @param sentryDsn SENTRY_DSN, already parsed: its host is allowed for annotated DSNs */
    static RoutingSettings parse(Map<String, String> env, Optional<SentryDsn> sentryDsn) {
        Optional<String> cluster = value(env, CLUSTER).map(name -> name(CLUSTER, name));
        Map<String, SentryDsn> projects = projects(env);
        return new RoutingSettings(cluster, bool(env, CLUSTER_IN_FINGERPRINT, false), tags(env), labelTags(env),
                projects, rules(env, projects), bool(env, ALLOW_DSN_ANNOTATIONS, true),
                allowList(env, projects, sentryDsn));
    }

    /** SaaS ingest, the configured DSNs' hosts, and KUBE_SENTRY_DSN_ALLOWED_HOSTS. */
    private static DsnAllowList allowList(Map<String, String> env, Map<String, SentryDsn> projects,
            Optional<SentryDsn> sentryDsn) {
        List<URI> configured = new ArrayList<>();
        projects.values().forEach(dsn -> configured.add(dsn.uri()));
        sentryDsn.ifPresent(dsn -> configured.add(dsn.uri()));
        List<String> extra = list(env, DSN_ALLOWED_HOSTS);
        for (String entry : extra) {
            if (!ALLOWED_HOST.matcher(entry).matches()) {
                throw new ConfigException(DSN_ALLOWED_HOSTS, "'" + entry + "' is not a host; expected hosts such as "
                        + "sentry.example.com, *.sentry.example.com or http://sentry.sentry.svc, separated by commas");
            }
        }
        return DsnAllowList.of(configured, extra);
    }

    /** {@code SENTRY_DSN_TEAM_A} holds the DSN of project {@code team-a}. */
    static String dsnVariable(String project) {
        return PROJECT_DSN_PREFIX + project.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, SentryDsn> projects(Map<String, String> env) {
        Map<String, SentryDsn> projects = new LinkedHashMap<>();
        for (String project : list(env, PROJECTS)) {
            name(PROJECTS, project);
            String variable = dsnVariable(project);
            String dsn = value(env, variable).orElseThrow(() -> new ConfigException(variable,
                    "not set; project '" + project + "' of " + PROJECTS + " needs its DSN there (from a Secret)"));
            projects.put(project, SentryDsn.parse(variable, dsn));
        }
        return projects;
    }

    private static List<RoutingRule> rules(Map<String, String> env, Map<String, SentryDsn> projects) {
        List<RoutingRule> rules = new ArrayList<>();
        for (String text : value(env, ROUTING).map(v -> v.split(";")).orElse(new String[0])) {
            if (text.isBlank()) {
                continue;
            }
            String[] sides = text.split("->");
            if (sides.length != 2) {
                throw new ConfigException(ROUTING, "'" + text.trim() + "' has no single '->'; " + ROUTING_FORMAT);
            }
            String match = sides[0].trim();
            String project = sides[1].trim();
            if (!projects.containsKey(project)) {
                throw new ConfigException(ROUTING, "'" + text.trim() + "' names project '" + project
                        + "', which is not in " + PROJECTS + " " + projects.keySet());
            }
            if (match.startsWith("namespace:") && match.length() > "namespace:".length()) {
                String glob = match.substring("namespace:".length()).trim();
                if (!glob.matches("[a-z0-9*-]+")) {
                    throw new ConfigException(ROUTING, "'" + glob + "' is not a namespace pattern; " + ROUTING_FORMAT);
                }
                rules.add(RoutingRule.namespace(glob, project));
            } else if (match.startsWith("selector:")) {
                rules.add(RoutingRule.selector(selector(match.substring("selector:".length())), project));
            } else {
                throw new ConfigException(ROUTING, "'" + match + "' is neither namespace:<pattern> nor "
                        + "selector:<label>=<value>; " + ROUTING_FORMAT);
            }
        }
        return rules;
    }

    private static Map<String, String> selector(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split("=", -1);
            if (parts.length != 2 || !LABEL_KEY.matcher(parts[0].trim()).matches() || parts[1].isBlank()) {
                throw new ConfigException(ROUTING, "'" + pair.trim() + "' is not label=value; " + ROUTING_FORMAT);
            }
            labels.put(parts[0].trim(), parts[1].trim());
        }
        return labels;
    }

    private static Map<String, String> tags(Map<String, String> env) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : list(env, TAGS)) {
            String[] parts = pair.split("=", -1);
            if (parts.length != 2 || !NAME.matcher(parts[0].trim()).matches() || parts[1].isBlank()) {
                throw new ConfigException(TAGS, "'" + pair + "' is not key=value; expected such as team=platform,region=eu");
            }
            tags.put(parts[0].trim(), parts[1].trim());
        }
        return tags;
    }

    private static List<String> labelTags(Map<String, String> env) {
        List<String> labels = list(env, LABEL_TAGS);
        for (String label : labels) {
            if (!LABEL_KEY.matcher(label).matches()) {
                throw new ConfigException(LABEL_TAGS, "'" + label + "' is not a label key; expected such as "
                        + "app.kubernetes.io/name,team");
            }
        }
        return labels;
    }

    private static String name(String variable, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(variable, "'" + name + "' is not a name; expected letters, digits, '.', '_', '-'");
        }
        return name;
    }

    /** The variable's comma-separated items, in order; the readers themselves are {@link SettingsParser}'s. */
    private static List<String> list(Map<String, String> env, String variable) {
        return value(env, variable).map(v -> List.copyOf(SettingsParser.list(v))).orElse(List.of());
    }

    private static boolean bool(Map<String, String> env, String variable, boolean fallback) {
        return SettingsParser.bool(env, variable, fallback);
    }

    private static Optional<String> value(Map<String, String> env, String variable) {
        return SettingsParser.value(env, variable);
    }
}
