package io.kubesentry.classify;

import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a {@link Troubleshooting} entry's debug commands with one occurrence's names. A
 * command that names something the occurrence lacks (the node of an unscheduled pod, the pod of a Node event)
 * is left out: a copied command with a blank in it fails in a confusing way.
 */
public final class TroubleshootingRenderer {

    static final Set<String> PLACEHOLDERS =
            Set.of("namespace", "pod", "workload", "workloadKind", "node", "container", "kind", "name");

    /** Word characters only, so jsonpath such as {@code {.status.phase}} is never taken for a placeholder. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    /** {@code kubectl rollout} knows only these; for a bare Pod or a Job it prints an error instead of history. */
    private static final Set<String> ROLLOUT_KINDS = Set.of("deployment", "statefulset", "daemonset");

    public RenderedTroubleshooting render(Troubleshooting troubleshooting, Occurrence occurrence) {
        Objects.requireNonNull(troubleshooting, "Troubleshooting is required.");
        Objects.requireNonNull(occurrence, "Occurrence is required.");
        Map<String, String> values = valuesOf(occurrence);
        List<String> commands = troubleshooting.debugCommands().stream()
                .filter(command -> !command.startsWith("kubectl rollout ")
                        || ROLLOUT_KINDS.contains(values.get("workloadKind")))
                .map(command -> fill(command, values))
                .flatMap(Optional::stream)
                .distinct()
                .toList();
        return new RenderedTroubleshooting(troubleshooting.description(), troubleshooting.likelyCauses(),
                commands, troubleshooting.runbookUrl());
    }

    /** The placeholder names a command template uses, in order of appearance. */
    static List<String> placeholdersIn(String template) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Optional<String> fill(String template, Map<String, String> values) {
        if (!values.keySet().containsAll(placeholdersIn(template))) {
            return Optional.empty();
        }
        return Optional.of(PLACEHOLDER.matcher(template)
                .replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1)))));
    }

    private static Map<String, String> valuesOf(Occurrence occurrence) {
        InvolvedObject object = occurrence.object();
        Map<String, String> values = new HashMap<>();
        put(values, "namespace", occurrence.namespace());
        put(values, "kind", lower(object.kind()));
        put(values, "name", object.name());
        if (object.isPod()) {
            put(values, "pod", object.name());
        }
        object.container().ifPresent(container -> put(values, "container", container));
        Workload workload = occurrence.workload();
        if (workload != null) {
            put(values, "workload", workload.name());
            put(values, "workloadKind", lower(workload.kind()));
        }
        // A Node event is about the node itself even when no kubelet host was recorded.
        put(values, "node", occurrence.node().isBlank() && object.isNode() ? object.name() : occurrence.node());
        return values;
    }

    private static void put(Map<String, String> values, String placeholder, String value) {
        if (value != null && !value.isBlank()) {
            values.put(placeholder, value);
        }
    }

    private static String lower(String kind) {
        return kind == null ? null : kind.toLowerCase(Locale.ROOT);
    }
}
