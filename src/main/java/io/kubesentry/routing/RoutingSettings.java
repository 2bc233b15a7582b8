package io.kubesentry.routing;

import io.kubesentry.core.SentryDsn;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multi-team settings: the cluster's name, tags for everything, which workload labels become tags, the Sentry
 * projects by name and the table that picks one.
 *
 * @param dsnAnnotations whether a workload may name its own DSN ({@code kube-sentry-events/dsn}); a platform
 *                       that wants data to reach only its configured projects turns this off
 * @param dsnAllowList   where an annotated DSN may point
 */
public record RoutingSettings(
        Optional<String> cluster,
        boolean clusterInFingerprint,
        Map<String, String> globalTags,
        List<String> labelTags,
        Map<String, SentryDsn> projects,
        List<RoutingRule> rules,
        boolean dsnAnnotations,
        DsnAllowList dsnAllowList) {

    public RoutingSettings {
        globalTags = Map.copyOf(globalTags);
        labelTags = List.copyOf(labelTags);
        projects = Map.copyOf(projects);
        rules = List.copyOf(rules);
    }

    public static RoutingSettings none() {
        return new RoutingSettings(Optional.empty(), false, Map.of(), List.of(), Map.of(), List.of(), true,
                DsnAllowList.of(List.of(), List.of()));
    }
}
