package io.kubesentry.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the command line asks for. */
public sealed interface Command {

    /** Watch the cluster: the agent. */
    record Watch() implements Command {
    }

    /** {@code --help}; {@code topic} "replay" for {@code replay --help}. */
    record Help(Optional<String> topic) implements Command {
    }

    record Version() implements Command {
    }

    /**
     * Replays recorded objects through the routes.
     *
     * @param inputs   files, {@code -} for standard input
     * @param explain  one line per item with the routes' decisions, and nothing sent to Sentry
     * @param output   text or json; empty: text at a terminal, json in a pipe
     * @param deadline how long to keep retrying Sentry; empty: KUBE_SENTRY_REPLAY_DEADLINE
     */
    record Replay(List<String> inputs, boolean explain, Optional<Output> output, Optional<Duration> deadline)
            implements Command {
    }

    /** A command line that cannot be run: one line to print, exit 64. */
    record Unusable(String problem) implements Command {
    }

    enum Output {
        TEXT, JSON
    }
}
