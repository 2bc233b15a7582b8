package io.kubesentry.classify;

import java.util.List;

/** A {@link Troubleshooting} entry with the real names of one occurrence filled into its debug commands. */
public record RenderedTroubleshooting(
        String description,
        List<String> likelyCauses,
        List<String> debugCommands,
        String runbookUrl) {

    public RenderedTroubleshooting {
        likelyCauses = List.copyOf(likelyCauses);
        debugCommands = List.copyOf(debugCommands);
    }
}
