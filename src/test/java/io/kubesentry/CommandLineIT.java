package io.kubesentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubesentry.config.Variables;
import io.kubesentry.support.SentryRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar's command line as a user meets it: {@code java -jar kube-sentry-events.jar ...} as a process,
 * its stdout, stderr and exit code. Runs under maven-failsafe in {@code mvn verify}.
 */
@DisplayName("The command line of the packaged jar")
class CommandLineIT {

    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path JAR = BASE.resolve("target/kube-sentry-events.jar");
    private static final Path CRASH_LOOP = BASE.resolve("examples/oomkilled-crashloop.json");
    private static final Path CLUSTER_EVENTS = BASE.resolve("examples/cluster-events.json");
    private static final long TIMEOUT_SECONDS = 90;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    record Run(int exitCode, String stdout, String stderr) {

        List<String> stdoutLines() {
            return stdout.lines().filter(line -> !line.isBlank()).toList();
        }

        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }

        String lastLine() {
            List<String> lines = stdoutLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @BeforeAll
    static void jarIsPackaged() {
        assertThat(JAR).as("the shaded jar; run mvn package (or mvn verify) first").isRegularFile();
    }

    private Run run(String... args) throws Exception {
        return run(Map.of(), null, args);
    }

    /** Runs the jar with a clean environment plus {@code env}; stdin from {@code input}, or nothing. */
    private Run run(Map<String, String> env, Path input, String... args) throws Exception {
        Path stdout = Files.createTempFile(temp, "stdout", ".txt");
        Path stderr = Files.createTempFile(temp, "stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx48m", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectInput(input == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.from(input.toFile()))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KUBE") || name.startsWith("SENTRY_")
                || name.endsWith("JAVA_OPTIONS") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("KUBE_SENTRY_HTTP_PORT", "0");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("%s did not exit within %d s; stderr:%n%s", List.of(args), TIMEOUT_SECONDS, Files.readString(stderr));
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("help, version and usage errors")
    class Usage {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"--help", "-h", "help"})
        @DisplayName("help lists the commands, the options, the exit codes and every variable with default and example")
        void help(String flag) throws Exception {
            Run run = run(flag);

            assertThat(run.exitCode()).isZero();
            assertThat(run.stdout()).contains("replay FILE...", "--explain", "--output text|json", "--deadline",
                    "--version", "Exit codes", "64");
            for (Variables.Variable variable : Variables.ALL) {
                assertThat(run.stdout()).contains(variable.name(), "(" + variable.defaultText() + "; "
                        + variable.example() + ")");
            }
            assertThat(run.stderr()).isEmpty();
        }

        @Test
        @DisplayName("replay --help explains replay instead of reading a file named --help")
        void replayHelp() throws Exception {
            Run run = run("replay", "--help");

            assertThat(run.exitCode()).isZero();
            assertThat(run.stdout()).contains("--explain", "kubectl get events,pods -A -o json");
            assertThat(run.stderr()).doesNotContain("cannot read");
        }

        @Test
        @DisplayName("--version prints the version from the jar's manifest")
        void version() throws Exception {
            Run run = run("--version");

            assertThat(run.exitCode()).isZero();
            assertThat(run.stdoutLines()).singleElement().asString().matches("kube-sentry-events \\d+\\.\\d+\\.\\d+.*");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"--verbose", "replay --bogus x.json", "replay", "frobnicate", "replay --output xml x"})
        @DisplayName("an unknown option, command or a missing argument is one line on stderr and exit 64")
        void unusable(String args) throws Exception {
            Run run = run(args.split(" "));

            assertThat(run.exitCode()).isEqualTo(64);
            assertThat(run.stderrLines()).singleElement().asString().startsWith("kube-sentry-events: ");
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Nested
    @DisplayName("replay of Events and Pods")
    class Replays {

        @Test
        @DisplayName("explain prints one line per item with each decision and its reason, then the totals")
        void explain() throws Exception {
            Run run = run("replay", "--explain", CRASH_LOOP.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdoutLines()).containsExactly(
                    "item 2 of oomkilled-crashloop.json (Pod test/sentry-kafka-controller-1): OOMKilled Pod "
                            + "test/sentry-kafka-controller-1 container kafka: logged, issue raised "
                            + "([test, StatefulSet/sentry-kafka-controller, OOMKilled] count 1, project default)",
                    "item 0 of oomkilled-crashloop.json (Event test/sentry-kafka-controller-1.17f8a2c4b6d90e01): "
                            + "Started Pod test/sentry-kafka-controller-1 container kafka: not watched "
                            + "(reason Started is not in KUBE_SENTRY_EVENTS)",
                    "item 1 of oomkilled-crashloop.json (Event test/sentry-kafka-controller-1.17f8a2e9d0b31c42): "
                            + "OOMKilled Pod test/sentry-kafka-controller-1 container kafka: logged, deduplicated "
                            + "(within the 5m window of issue [test, StatefulSet/sentry-kafka-controller, OOMKilled])",
                    "read 3 items (2 Events, 1 Pods): 1 issue, 2 logs (2 OOMKilled); dropped: 1 reason not watched, "
                            + "1 deduplicated");
        }

        @Test
        @DisplayName("explain tells a re-delivery: the same file twice is what a watch's re-list sends")
        void explainRedelivery() throws Exception {
            Run run = run("replay", "--explain", CRASH_LOOP.toString(), CRASH_LOOP.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdoutLines()).hasSize(7);
            assertThat(run.stdoutLines().get(3)).endsWith("container kafka: re-delivery (already delivered with this uid "
                    + "and count)");
            assertThat(run.stdoutLines().get(4)).contains("not watched"); // Started: the filter comes first
            assertThat(run.stdoutLines().get(5)).contains("re-delivery");
            assertThat(run.lastLine()).endsWith("2 re-delivery");
        }

        @Test
        @DisplayName("explain names the threshold, the excluded namespace and the workload's count")
        void explainRules() throws Exception {
            Run run = run("replay", "--explain", CLUSTER_EVENTS.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("Unhealthy Pod monitoring/dashboard-5f48f6b647-x9q2w container dashboard: "
                            + "logged, below threshold (2 of 5)",
                    "not watched (namespace kube-system is in KUBE_SENTRY_EXCLUDE_NAMESPACES)");
        }

        @Test
        @DisplayName("several files and text output: one line per issue, logs summed up, and the totals")
        void severalFilesAsText() throws Exception {
            Run run = run("replay", "--output", "text", CRASH_LOOP.toString(), CLUSTER_EVENTS.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdoutLines()).filteredOn(line -> line.startsWith("issue ")).hasSize(7)
                    .anySatisfy(line -> assertThat(line).startsWith(
                            "issue [test, StatefulSet/sentry-kafka-controller, OOMKilled] count 1, project default: "));
            assertThat(run.lastLine()).isEqualTo("read 17 items (16 Events, 1 Pods): 7 issues, 13 logs (1 BackOff, "
                    + "1 Evicted, 1 FailedMount, 1 FailedScheduling, 4 ImagePullBackOff, 3 OOMKilled, 2 Unhealthy); "
                    + "dropped: 3 reason not watched, 2 deduplicated, 4 below threshold, 1 namespace excluded");
        }

        @Test
        @DisplayName("standard input in a pipe gets JSON lines, and a last JSON line of totals; read once, in order")
        void stdinAsJson() throws Exception {
            Run run = run(Map.of(), CRASH_LOOP, "replay", "-");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : run.stdoutLines()) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines.subList(0, lines.size() - 1)).extracting(line -> line.path("sentry").asText())
                    .containsOnly("issue", "log");
            JsonNode totals = lines.get(lines.size() - 1).path("totals");
            assertThat(totals.path("events").asInt()).isEqualTo(2);
            assertThat(totals.path("pods").asInt()).isEqualTo(1);
            // the BackOff Event comes before its Pod: it proves one restart, below BackOff's threshold; the Pod's
            // OOMKilled raises the one issue
            assertThat(totals.path("issues").asInt()).isEqualTo(1);
            assertThat(totals.path("logs").asInt()).isEqualTo(2);
        }

        @Test
        @DisplayName("a bad item is skipped with one line naming its index; the items around it are reported")
        void badItem() throws Exception {
            String list = Files.readString(CRASH_LOOP).replaceFirst("\"items\": \\[",
                    "\"items\": [ {\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\"}, {\"kind\": \"Event\", "
                            + "\"apiVersion\": \"v1\", \"count\": \"many\"},");
            Path input = Files.writeString(temp.resolve("bad-item.json"), list);

            Run run = run("replay", "--explain", input.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderrLines()).hasSize(2).satisfiesExactly(
                    line -> assertThat(line).contains("item 0 skipped: a ConfigMap, not an Event or a Pod"),
                    line -> assertThat(line).contains("item 1 skipped: an unreadable Event ("));
            assertThat(run.stdoutLines()).hasSize(4);
            assertThat(run.lastLine()).startsWith("read 3 items (2 Events, 1 Pods, 2 skipped): 1 issue, 2 logs");
        }
    }

    @Nested
    @DisplayName("replay of an input that is not kubectl's JSON")
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"empty", "[]", "not json", "yaml", "too deep", "List without items"})
        @DisplayName("one line naming the file and what was expected, exit 65, no stack trace")
        void badDocument(String what) throws Exception {
            String content = switch (what) {
                case "empty" -> "";
                case "[]" -> "[]";
                case "not json" -> "hello";
                case "yaml" -> "apiVersion: v1\nkind: List\nitems: []\n";
                case "too deep" -> "{\"items\":[" + "[".repeat(5_000) + "]".repeat(5_000) + "]}";
                default -> "{\"kind\": \"List\", \"apiVersion\": \"v1\"}";
            };
            Path input = Files.writeString(temp.resolve("input.json"), content);

            Run run = run("replay", input.toString());

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(65);
            assertThat(run.stderrLines()).singleElement().asString().startsWith("kube-sentry-events: " + input)
                    .contains("expected");
            assertThat(run.stderr()).doesNotContain("Exception", "\tat ");
        }

        @Test
        @DisplayName("a directory or a missing file: one line each, exit 66")
        void unopenable() throws Exception {
            Run run = run("replay", temp.toString(), temp.resolve("missing.json").toString());

            assertThat(run.exitCode()).isEqualTo(66);
            assertThat(run.stderrLines()).satisfiesExactly(
                    line -> assertThat(line).contains(temp + " is a directory; expected a file"),
                    line -> assertThat(line).contains("missing.json does not exist"));
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Nested
    @DisplayName("replay to Sentry")
    class Delivery {

        @Test
        @DisplayName("a brief outage of 503s loses nothing although the queue is short: replay waits for room")
        void briefOutage() throws Exception {
            try (SentryRecorder sentry = new SentryRecorder()) {
                Path input = Files.writeString(temp.resolve("many.json"), failedScheduling(40));
                sentry.failNext(3, 503, null);

                Run run = run(Map.of("SENTRY_DSN", sentry.dsn(), "KUBE_SENTRY_BUFFER_SIZE", "10",
                        "KUBE_SENTRY_ENABLE_LOGS", "false"), null, "replay", "--output", "text", input.toString());

                assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
                assertThat(sentry.issues()).hasSize(40);
                assertThat(run.lastLine()).endsWith("delivered to Sentry: 40 issues; lost: none");
            }
        }

        @Test
        @DisplayName("a Sentry that answers 429 until the deadline: exit 3, the loss counted on the last line")
        void rateLimited() throws Exception {
            try (SentryRecorder sentry = new SentryRecorder()) {
                sentry.failNext(1_000, 429, "1");

                Run run = run(Map.of("SENTRY_DSN", sentry.dsn()), null, "replay", "--output", "text", "--deadline", "2s",
                        CRASH_LOOP.toString());

                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
                assertThat(run.lastLine()).contains("delivered to Sentry: nothing; lost: ", "1 issues (left at the 2s deadline)");
            }
        }

        @Test
        @DisplayName("an unreachable Sentry: exit 3 once the deadline has passed")
        void unreachable() throws Exception {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }

            Run run = run(Map.of("SENTRY_DSN", "http://key@127.0.0.1:" + port + "/1",
                    "KUBE_SENTRY_REPLAY_DEADLINE", "2s"), null, "replay", "--output", "text", CRASH_LOOP.toString());

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
            assertThat(run.lastLine()).contains("delivered to Sentry: nothing", "(left at the 2s deadline)");
        }

        @Test
        @DisplayName("a Sentry that never answers: exit 3 soon after the deadline, not after the request time-out")
        void neverAnswers() throws Exception {
            try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                List<Socket> held = new ArrayList<>();
                Thread accepting = new Thread(() -> {
                    try {
                        while (true) {
                            held.add(silent.accept()); // read nothing, answer nothing
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
                accepting.setDaemon(true);
                accepting.start();
                long start = System.nanoTime();

                Run run = run(Map.of("SENTRY_DSN", "http://key@127.0.0.1:" + silent.getLocalPort() + "/1"), null,
                        "replay", "--output", "text", "--deadline", "2s", CRASH_LOOP.toString());

                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
                assertThat(run.lastLine()).contains("delivered to Sentry: nothing", "(left at the 2s deadline)");
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
            }
        }
    }

    /** {@code count} FailedScheduling Events of as many Deployments: one issue each. */
    private static String failedScheduling(int count) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> event = new HashMap<>();
            event.put("apiVersion", "v1");
            event.put("kind", "Event");
            event.put("metadata", Map.of("name", "app" + i + "-7d9f8b6c5-a1b2c.1", "namespace", "shop",
                    "uid", "uid-" + i));
            event.put("involvedObject", Map.of("kind", "Pod", "namespace", "shop", "name", "app" + i + "-7d9f8b6c5-a1b2c"));
            event.put("reason", "FailedScheduling");
            event.put("message", "0/3 nodes are available: 3 Insufficient memory.");
            event.put("type", "Warning");
            event.put("count", 1);
            event.put("lastTimestamp", "2026-01-01T00:00:00Z");
            items.add(event);
        }
        return JSON.writeValueAsString(Map.of("apiVersion", "v1", "kind", "List", "items", items));
    }
}
