package io.kubesentry.cli;

import io.kubesentry.config.Variables;

/** The text of {@code --help}; the variables come from {@link Variables}, the list the parsers read. */
public final class Help {

    private Help() {
    }

    public static String usage() {
        return "usage: kube-sentry-events [watch | replay [--explain] [--output text|json] [--deadline 3m] FILE... | "
                + "help | --version]";
    }

    public static String full() {
        return """
                kube-sentry-events: sends the Kubernetes events that matter to Sentry, as issues and logs.

                %s

                Commands
                  (none), watch   watch the cluster (in-cluster service account, else KUBECONFIG or ~/.kube/config)
                  replay FILE...  send recorded objects through the same routes; - reads standard input
                  help, --help, -h, replay --help
                                  this text
                  --version, -V   the version

                %s
                Variables (default; example)
                %s
                Exit codes
                  0   done (replay: everything read was handled, and with a DSN delivered)
                  2   a variable has a value that cannot be used (one line names it)
                  3   replay with SENTRY_DSN: some issues or logs did not reach Sentry (refused, or still
                      waiting at the deadline); the last line counts them by reason
                  64  unknown command or option, or a missing argument
                  65  a replay input is not what kubectl prints (empty, not JSON, YAML, no objects, too deep)
                  66  a replay input cannot be opened (missing, unreadable, a directory)

                Examples
                  java -jar target/kube-sentry-events.jar replay examples/cluster-events.json
                  kubectl get events,pods -A -o json | java -jar kube-sentry-events.jar replay --explain -
                  SENTRY_DSN=https://key@o1.ingest.sentry.io/42 java -jar kube-sentry-events.jar
                """.formatted(usage(), replay(), variables());
    }

    public static String replay() {
        return """
                Replay (replay [options] FILE...)
                  Reads what kubectl get events,pods -A -o json prints (a List of Events and Pods, or single
                  objects), from several files or - (standard input), one item at a time. Events and Pods go
                  through the routes the watches feed: Pod status readers, root causes, thresholds, dedup.
                  Without SENTRY_DSN nothing is sent: issues and logs are printed.
                  --explain           one line per item: the routes' decision and why (not watched, re-delivery,
                                      ignored workload, below threshold, deduplicated, logged, issue raised);
                                      sends nothing to Sentry
                  --output text|json  text: one line per issue, logs summarised; json: one JSON object per issue
                                      and log (default: text at a terminal, json in a pipe)
                  --deadline 3m       with SENTRY_DSN: how long to keep retrying Sentry before counting what is
                                      left as lost (default KUBE_SENTRY_REPLAY_DEADLINE)
                  The last line counts items read (Events, Pods), issues, logs and what was dropped by reason.
                """;
    }

    private static String variables() {
        int width = Variables.ALL.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (Variables.Variable variable : Variables.ALL) {
            text.append("  ").append(String.format("%-" + width + "s", variable.name())).append("  ")
                    .append(variable.meaning()).append('\n')
                    .append("  ").append(" ".repeat(width)).append("  (").append(variable.defaultText())
                    .append("; ").append(variable.example()).append(")\n");
        }
        return text.toString();
    }
}
