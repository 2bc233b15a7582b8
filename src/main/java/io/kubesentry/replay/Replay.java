package io.kubesentry.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.cli.ExitCode;
import io.kubesentry.explain.Decision;
import io.kubesentry.explain.Decisions;
import io.kubesentry.kubernetes.RecordedObjectsReader;
import io.kubesentry.kubernetes.UnreadableRecordingException;
import io.kubesentry.sentry.DeliveryTotals;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;

/**
 * Sends recorded Events and Pods through the running routes, one at a time as they are read, as if the watches
 * had delivered them, and prints what became of each: its issues (text), its decisions ({@code --explain}),
 * and a last line of totals.
 */
public final class Replay {

    /** Where the pod watch hands each Pod; replay sends recorded Pods here too. */
    public static final String POD_ENDPOINT = "direct:read-pod-statuses";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to print per item: the issues raised (text), the JSON the publisher prints, or every decision. */
    public enum Mode {
        TEXT, JSON, EXPLAIN
    }

    private final ProducerTemplate producer;
    private final Decisions decisions;
    private final Mode mode;
    private final PrintStream out;
    private final PrintStream err;
    private final ReplayTotals totals = new ReplayTotals();

    public Replay(KubeSentryApplication application, Mode mode, PrintStream out, PrintStream err) {
        this.producer = application.producer();
        this.decisions = application.decisions();
        this.mode = mode;
        this.out = out;
        this.err = err;
    }

    /** Checks every input can be opened before any is replayed; empty when all can. */
    public static List<String> unopenable(List<String> inputs) {
        List<String> problems = new ArrayList<>();
        for (String input : inputs) {
            if (input.equals("-")) {
                continue;
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                problems.add(input + " is a directory; expected a file that holds kubectl get events,pods -A -o json");
            } else if (!Files.exists(path)) {
                problems.add(input + " does not exist; expected a file that holds kubectl get events,pods -A -o json");
            } else if (!Files.isReadable(path)) {
                problems.add(input + " cannot be read (permissions)");
            }
        }
        return problems;
    }

    /** Replays the inputs in order; returns the exit code of what was read (delivery is told apart). */
    public int run(List<String> inputs, InputStream stdin) {
        for (String input : inputs) {
            try {
                if (input.equals("-")) {
                    RecordedObjectsReader.read(stdin, "standard input", new Sink(input));
                } else {
                    // Pods first: the Events about them then find their owners and root causes, as on a watch
                    for (RecordedObjectsReader.Pass pass : List.of(RecordedObjectsReader.Pass.PODS,
                            RecordedObjectsReader.Pass.ALL_BUT_PODS)) {
                        try (InputStream in = Files.newInputStream(Path.of(input))) {
                            RecordedObjectsReader.read(in, input, pass, new Sink(input));
                        }
                    }
                }
            } catch (UnreadableRecordingException e) {
                err.println("kube-sentry-events: " + e.getMessage());
                return switch (e.problem()) {
                    case CANNOT_READ -> ExitCode.NO_INPUT;
                    case NOT_KUBECTL_JSON -> ExitCode.DATA;
                };
            } catch (IOException e) {
                err.println("kube-sentry-events: " + input + ": cannot read (" + e.getMessage() + ")");
                return ExitCode.NO_INPUT;
            }
        }
        return ExitCode.OK;
    }

    /** Adds Sentry's account: what it took, what was lost and why. */
    public void delivery(SentryAccount account) {
        totals.sending = true;
        totals.delivered.putAll(account.delivered());
        totals.lost.putAll(account.lost());
        totals.incomplete = account.totals().incomplete();
    }

    /** Whether anything sent was lost or still waits: the clients' {@link DeliveryTotals#incomplete()}. */
    public boolean anythingLost() {
        return totals.incomplete;
    }

    /** The last line: what was read and what became of it. */
    public void printTotals() {
        if (mode == Mode.JSON) {
            print(totals.json());
        } else {
            out.println(totals.text());
        }
        out.flush();
    }

    private final class Sink implements RecordedObjectsReader.Sink {

        private final String input;

        Sink(String input) {
            this.input = input;
        }

        @Override
        public void item(int index, Object object) {
            boolean pod = RecordedObjectsReader.isPod(object);
            if (pod) {
                totals.pods++;
            } else {
                totals.events++;
            }
            decisions.begin();
            List<Decision> decided;
            try {
                producer.sendBodyAndHeader(pod ? POD_ENDPOINT : KubeSentryApplication.EVENT_ENDPOINT, object,
                        "CamelKubernetesEventAction", "ADDED");
            } finally {
                decided = decisions.end();
            }
            totals.count(decided);
            String none = pod ? "nothing to report in its status" : "not read by the routes (see the warning above)";
            if (decided.isEmpty()) {
                totals.noOccurrence(pod ? "healthy Pod" : "unreadable Event");
            }
            switch (mode) {
                case EXPLAIN -> out.println(label(index, object) + ": " + (decided.isEmpty() ? none : explained(decided)));
                case TEXT -> decided.stream().filter(d -> d.kind() == Decision.Kind.ISSUE)
                        .forEach(issue -> out.println("issue " + issue.detail() + ": " + issue.message()));
                case JSON -> { } // the publisher prints each issue and log
            }
        }

        @Override
        public void skipped(int index, String why) {
            totals.skipped++;
            err.println("kube-sentry-events: " + (input.equals("-") ? "standard input" : input) + ": item " + index
                    + " skipped: " + why);
        }

        private String label(int index, Object object) {
            return "item " + index + (input.equals("-") ? "" : " of " + Path.of(input).getFileName()) + " ("
                    + RecordedObjectsReader.kindAndName(object) + ")";
        }
    }

    /** The decisions about each occurrence of an item, occurrence by occurrence. */
    private static String explained(List<Decision> decided) {
        Map<String, List<String>> bySubject = new LinkedHashMap<>();
        for (Decision decision : decided) {
            bySubject.computeIfAbsent(decision.subject(), key -> new ArrayList<>()).add(decision.describe());
        }
        return bySubject.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private void print(Object line) {
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
