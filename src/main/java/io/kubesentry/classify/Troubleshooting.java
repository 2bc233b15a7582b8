package io.kubesentry.classify;

import java.util.List;

/**
 * What an operator needs first for one reason. Debug commands are templates: {@code {namespace}},
 * {@code {pod}}, {@code {workload}}, {@code {workloadKind}}, {@code {node}}, {@code {container}},
 * {@code {kind}} and {@code {name}} are filled in with the real names by {@link TroubleshootingRenderer}.
 */
public record Troubleshooting(
        String reason,
        Severity severity,
        String description,
        List<String> likelyCauses,
        List<String> debugCommands,
        String runbookUrl) {

    public Troubleshooting {
        likelyCauses = List.copyOf(likelyCauses);
        debugCommands = List.copyOf(debugCommands);
    }
}
