package io.kubesentry.routing;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One line of the routing table: occurrences in namespaces matching {@code namespaceGlob} (or of workloads
 * whose labels include {@code selector}) go to {@code project}.
 */
public record RoutingRule(Pattern namespaceGlob, Map<String, String> selector, String project) {

    public RoutingRule {
        selector = Map.copyOf(selector);
    }

    public static RoutingRule namespace(String glob, String project) {
        return new RoutingRule(Pattern.compile(glob.replace(".", "\\.").replace("*", ".*")), Map.of(), project);
    }

    public static RoutingRule selector(Map<String, String> labels, String project) {
        return new RoutingRule(null, labels, project);
    }

    public boolean matches(String namespace, Map<String, String> workloadLabels) {
        if (namespaceGlob != null) {
            return namespaceGlob.matcher(namespace).matches();
        }
        return selector.entrySet().stream()
                .allMatch(label -> label.getValue().equals(workloadLabels.get(label.getKey())));
    }

    @Override
    public String toString() {
        return (namespaceGlob != null ? "namespace:" + namespaceGlob.pattern() : "selector:" + selector) + " -> "
                + project;
    }
}
