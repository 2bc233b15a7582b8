package io.kubesentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the packaged jar ({@code target/kube-sentry-events.jar}, built by {@code mvn package}) with one bad
 * variable and checks that it refuses to start the way an operator needs: exit code 2, one line on stderr
 * naming the variable, nothing on stdout. Runs under maven-failsafe in {@code mvn verify}.
 */
class ConfigErrorExitIT {

    private static final long TIMEOUT_SECONDS = 20;
    private static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "kube-sentry-events.jar");

    /** What the JVM launcher reads from the environment and would echo ("Picked up ...") on stderr. */
    private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    @TempDir
    Path temp;

    record Run(int exitCode, String stdout, String stderr) {

        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    @BeforeAll
    static void jarIsPackaged() {
        assertThat(JAR).as("the shaded jar; run mvn package (or mvn verify) first").isRegularFile();
    }

    /** Runs the jar with no KUBE_SENTRY_* or SENTRY_* variable but {@code variable=value}. */
    private Run runJar(String variable, String value) throws IOException, InterruptedException {
        return runJar(Map.of(variable, value), nullDevice(), List.of());
    }

    /** Runs the jar with no KUBE_SENTRY_* or SENTRY_* variable but {@code variables}, {@code args}, {@code stdin}. */
    private Run runJar(Map<String, String> variables, java.io.File stdin, List<String> args)
            throws IOException, InterruptedException {
        Path stdout = temp.resolve("stdout.txt");
        Path stderr = temp.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(temp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("KUBE_SENTRY_") || name.startsWith("SENTRY_")
                || JVM_OPTION_VARIABLES.contains(name));
        env.putAll(variables);
        String variable = String.join(", ", variables.keySet());
        String value = String.join(", ", variables.values());

        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("kube-sentry-events with %s=%s did not exit within %d s; stderr so far:%n%s", variable, value,
                    TIMEOUT_SECONDS, Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy:abc", "Reason:count"),
                arguments("KUBE_SENTRY_DEDUP_WINDOW", "5x", "30s, 5m, 1h"),
                arguments("SENTRY_DSN", "not-a-dsn", "https://<public-key>@<host>/<project-id>"),
                arguments("KUBE_SENTRY_LOG_LEVEL", "verbose", "debug, info, warn, error"),
                arguments("KUBE_SENTRY_ROUTING", "namespace:shop -> team-z", "not in KUBE_SENTRY_PROJECTS"));
    }

    @Nested
    @DisplayName("the packaged jar, given a bad configuration value")
    class BadConfiguration {

        @ParameterizedTest(name = "{0}={1}")
        @MethodSource("io.kubesentry.ConfigErrorExitIT#badValues")
        @DisplayName("exits with code 2, one stderr line naming the variable and its format, and no stdout")
        void exitsWithConfigError(String variable, String value, String expectedFormat) throws Exception {
            // Given a clean environment with one bad value

            // When
            Run run = runJar(variable, value);

            // Then
            assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(2);
            assertThat(run.stderrLines()).singleElement().asString()
                    .startsWith("kube-sentry-events: configuration error: " + variable + ": ")
                    .contains(expectedFormat);
            assertThat(run.stdout()).isEmpty();
        }

        @Test
        @DisplayName("never echoes the key of a malformed SENTRY_DSN")
        void dsnKeyNotEchoed() throws Exception {
            // Given
            String malformed = "https://secretkey123@/";

            // When
            Run run = runJar("SENTRY_DSN", malformed);

            // Then
            assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(2);
            assertThat(run.stderrLines()).singleElement().asString()
                    .startsWith("kube-sentry-events: configuration error: SENTRY_DSN: ");
            assertThat(run.stderr()).doesNotContain("secretkey123");
            assertThat(run.stdout()).doesNotContain("secretkey123").isEmpty();
        }
    }

    @Nested
    @DisplayName("the packaged jar, given reasons as users type them")
    class ReasonNames {

        @Test
        @DisplayName("starts, and warns once per reason it does not know, naming the closest known; case is no typo")
        void unknownReasonsWarnedOnce() throws Exception {
            // Given: an empty recording to replay, reasons in any case, two typos and a reason of one's own
            Path recording = Files.writeString(temp.resolve("events.json"), "{\"items\": []}");
            Map<String, String> env = Map.of("KUBE_SENTRY_EVENTS", "oomkilled,OOMKiled,unhealthy,MyOperatorFailed",
                    "KUBE_SENTRY_THRESHOLDS", "unhealthy:10,Unhealty:3");

            // When
            Run run = runJar(env, recording.toFile(), List.of("replay", "-"));

            // Then
            assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
            List<String> warnings = run.stderrLines().stream().filter(line -> line.contains(" WARN ")).toList();
            assertThat(warnings).hasSize(3);
            assertThat(warnings).anySatisfy(line -> assertThat(line)
                    .contains("KUBE_SENTRY_EVENTS: 'OOMKiled' is no reason").contains("Closest known: OOMKilled"));
            assertThat(warnings).anySatisfy(line -> assertThat(line)
                    .contains("KUBE_SENTRY_EVENTS: 'MyOperatorFailed' is no reason"));
            assertThat(warnings).anySatisfy(line -> assertThat(line)
                    .contains("KUBE_SENTRY_THRESHOLDS: 'Unhealty' is no reason").contains("Closest known: Unhealthy"));
        }
    }
}
