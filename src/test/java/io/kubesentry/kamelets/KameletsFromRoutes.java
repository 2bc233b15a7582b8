package io.kubesentry.kamelets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes each Kamelet's {@code spec.template} from the shipped routes: the Kamelet's first route, with every
 * {@code to: direct:<route>} replaced by that route's steps, the hand-overs to the sinks' routes replaced by
 * one {@code to: kamelet:sink}, the {@code skip-bad-input} route configuration as a {@code doTry}, and step
 * ids left out (a Kamelet is instantiated once per use, ids must stay unique). The rest of each Kamelet file
 * (metadata, definition, dependencies) is written by hand.
 */
final class KameletsFromRoutes {

    /** What a Kamelet is made of. */
    record Recipe(String name, String firstRoute, String from, Set<String> sinkRoutes, boolean catchesBadInput,
            Map<String, String> placeholders) {
    }

    static final List<Recipe> RECIPES = List.of(
            new Recipe("kube-critical-events-source", "watch-kubernetes-events", "kubernetes-events:{{masterUrl}}",
                    Set.of("send-sentry-logs", "count-toward-thresholds"), true, Map.of()),
            new Recipe("kube-pod-status-source", "watch-pod-status", "kubernetes-pods:{{masterUrl}}",
                    Set.of("send-sentry-logs", "count-toward-thresholds"), true, Map.of()),
            new Recipe("sentry-log-sink", "send-sentry-logs", "kamelet:source", Set.of(), false, Map.of()),
            new Recipe("sentry-issue-sink", "count-toward-thresholds", "kamelet:source", Set.of(), false,
                    Map.of("{{kube-sentry.threshold.window-millis:3600000}}", "{{thresholdWindowMillis}}")));

    static final String TEMPLATE = "  template:\n";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    private final Map<String, Map<String, Object>> routesById = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> routesByDirect = new LinkedHashMap<>();
    private Map<String, Object> badInput;

    @SuppressWarnings("unchecked")
    KameletsFromRoutes(Path routes) throws IOException {
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                for (Map<String, Object> item : (List<Map<String, Object>>) YAML.readValue(file.toFile(), List.class)) {
                    if (item.containsKey("routeConfiguration")) {
                        Map<String, Object> configuration = (Map<String, Object>) item.get("routeConfiguration");
                        if ("skip-bad-input".equals(configuration.get("id"))) {
                            badInput = (Map<String, Object>) ((List<Map<String, Object>>) configuration
                                    .get("onException")).get(0).get("onException");
                        }
                        continue;
                    }
                    Map<String, Object> route = (Map<String, Object>) item.get("route");
                    routesById.put((String) route.get("id"), route);
                    String uri = (String) ((Map<String, Object>) route.get("from")).get("uri");
                    if (uri.startsWith("direct:")) {
                        routesByDirect.put(uri.substring("direct:".length()), route);
                    }
                }
            }
        }
    }

    /** The whole Kamelet file: its hand-written part from {@code current}, then the generated template. */
    String kamelet(Recipe recipe, String current) throws IOException {
        int template = current.indexOf(TEMPLATE);
        if (template < 0) {
            throw new IllegalStateException(recipe.name() + " has no \"" + TEMPLATE.strip() + "\" line");
        }
        String body = YAML.writeValueAsString(Map.of("template", template(recipe)));
        for (Map.Entry<String, String> placeholder : recipe.placeholders().entrySet()) {
            body = body.replace(placeholder.getKey(), placeholder.getValue());
        }
        return current.substring(0, template) + body.lines().map(line -> "  " + line + "\n")
                .reduce("", String::concat);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> template(Recipe recipe) {
        Map<String, Object> route = routesById.get(recipe.firstRoute());
        if (route == null) {
            throw new IllegalStateException("no route " + recipe.firstRoute());
        }
        Map<String, Object> from = (Map<String, Object>) route.get("from");
        List<Object> steps = inline((List<Object>) from.get("steps"), recipe.sinkRoutes());
        if (recipe.catchesBadInput()) {
            Map<String, Object> doCatch = new LinkedHashMap<>();
            doCatch.put("exception", badInput.get("exception"));
            doCatch.put("steps", withoutIds(badInput.get("steps")));
            Map<String, Object> doTry = new LinkedHashMap<>();
            doTry.put("steps", steps);
            doTry.put("doCatch", List.of(doCatch));
            steps = List.of(Map.of("doTry", doTry));
        }
        Map<String, Object> generated = new LinkedHashMap<>();
        generated.put("uri", recipe.from());
        generated.put("steps", steps);
        return Map.of("from", generated);
    }

    /** The steps with the routes they hand over to spliced in, and without ids. */
    @SuppressWarnings("unchecked")
    private List<Object> inline(List<Object> steps, Set<String> sinkRoutes) {
        List<Object> inlined = new ArrayList<>();
        for (Object step : steps) {
            String direct = direct(step);
            if (direct == null) {
                inlined.add(inlineNested(step, sinkRoutes));
            } else if (sinkRoutes.contains(direct)) {
                Map<String, Object> toSink = Map.of("to", "kamelet:sink");
                if (inlined.isEmpty() || !inlined.get(inlined.size() - 1).equals(toSink)) {
                    inlined.add(toSink);
                }
            } else {
                Map<String, Object> route = routesByDirect.get(direct);
                if (route == null) {
                    throw new IllegalStateException("no route from direct:" + direct);
                }
                inlined.addAll(inline((List<Object>) ((Map<String, Object>) route.get("from")).get("steps"),
                        sinkRoutes));
            }
        }
        return inlined;
    }

    @SuppressWarnings("unchecked")
    private Object inlineNested(Object node, Set<String> sinkRoutes) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                if (key.equals("id")) {
                    return;
                }
                copy.put((String) key, key.equals("steps")
                        ? inline((List<Object>) value, sinkRoutes) : inlineNested(value, sinkRoutes));
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> inlineNested(item, sinkRoutes)).toList();
        }
        return node;
    }

    private Object withoutIds(Object node) {
        return inlineNested(node, Set.of());
    }

    /** The route a {@code to: direct:<route>} step hands over to, else null. */
    private static String direct(Object step) {
        if (!(step instanceof Map<?, ?> map) || map.size() != 1 || !map.containsKey("to")) {
            return null;
        }
        Object to = map.get("to");
        Object uri = to instanceof Map<?, ?> options ? options.get("uri") : to;
        return uri instanceof String s && s.startsWith("direct:") ? s.substring("direct:".length()) : null;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
