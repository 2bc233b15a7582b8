package io.kubesentry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubesentry.core.ConfigException;
import io.kubesentry.core.SentryDsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsParserTest {

    @Nested
    @DisplayName("with an empty environment")
    class Defaults {

        private final Settings settings = SettingsParser.parse(Map.of());

        @Test
        @DisplayName("sends nothing to Sentry: there is no DSN")
        void noDsn() {
            // Given an empty environment
            // When
            Optional<SentryDsn> dsn = settings.sentryDsn();

            // Then
            assertThat(dsn).isEmpty();
        }

        @Test
        @DisplayName("reports to the production environment")
        void productionEnvironment() {
            // Given an empty environment
            // When
            String environment = settings.environment();

            // Then
            assertThat(environment).isEqualTo("production");
        }

        @Test
        @DisplayName("watches every namespace except kube-system")
        void allNamespacesButKubeSystem() {
            // Given an empty environment
            // When / Then
            assertThat(settings.namespaces()).isEmpty();
            assertThat(settings.excludedNamespaces()).containsExactly("kube-system");
        }

        @Test
        @DisplayName("watches the seed's eight critical reasons and NodeNotReady")
        void defaultReasons() {
            // Given an empty environment
            // When
            var reasons = settings.reasons();

            // Then
            assertThat(reasons).containsExactlyInAnyOrder("OOMKilled", "CrashLoopBackOff", "FailedScheduling",
                    "Evicted", "FailedMount", "Unhealthy", "BackOff", "ImagePullBackOff", "NodeNotReady");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "Unhealthy, 5",
            "BackOff, 3",
            "ImagePullBackOff, 3",
            "OOMKilled, 1",
            "CrashLoopBackOff, 1",
            "FailedScheduling, 1",
            "Evicted, 1",
            "FailedMount, 1",
            "CreateContainerConfigError, 1",
            "SomethingNobodyConfigured, 1"})
        @DisplayName("alerts on the first occurrence except for Unhealthy (5), BackOff (3) and ImagePullBackOff (3)")
        void defaultThresholds(String reason, int expected) {
            // Given an empty environment
            // When
            int threshold = settings.thresholds().of(reason);

            // Then
            assertThat(threshold).isEqualTo(expected);
        }

        @Test
        @DisplayName("sends logs, deduplicates for 5 minutes and counts toward thresholds for 1 hour")
        void logsAndWindows() {
            // Given an empty environment
            // When / Then
            assertThat(settings.logsEnabled()).isTrue();
            assertThat(settings.dedupWindow()).isEqualTo(Duration.ofMinutes(5));
            assertThat(settings.thresholdWindow()).isEqualTo(Duration.ofHours(1));
        }

        @Test
        @DisplayName("logs at info and runs the routes bundled in the jar")
        void logLevelAndRoutes() {
            // Given an empty environment
            // When / Then
            assertThat(settings.logLevel()).isEqualTo(LogLevel.INFO);
            assertThat(settings.routesDirectory()).isEmpty();
        }

        @Test
        @DisplayName("serves health and metrics on port 8080 of every interface")
        void observeServer() {
            // Given an empty environment
            // When / Then
            assertThat(settings.httpPort()).isEqualTo(8080);
            assertThat(settings.httpHost()).isEqualTo("0.0.0.0");
        }

        @Test
        @DisplayName("are what Settings.defaults() returns")
        void sameAsSettingsDefaults() {
            // Given an empty environment
            // When
            Settings defaults = Settings.defaults();

            // Then
            assertThat(defaults).isEqualTo(settings);
        }
    }

    @Nested
    @DisplayName("with good values")
    class GoodValues {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "10.244.1.7", "::", "::1", "fd00::1"})
        @DisplayName("KUBE_SENTRY_HTTP_HOST takes IPv4 and IPv6 addresses")
        void httpHost(String address) {
            // When
            Settings settings = SettingsParser.parse(Map.of("KUBE_SENTRY_HTTP_HOST", address));

            // Then
            assertThat(settings.httpHost()).isEqualTo(address);
        }

        @Test
        @DisplayName("KUBE_SENTRY_THRESHOLDS overrides only the reasons it names")
        void thresholdsOverrideOnlyNamedReasons() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_THRESHOLDS", "Unhealthy:10,BackOff:5");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.thresholds().of("Unhealthy")).isEqualTo(10);
            assertThat(settings.thresholds().of("BackOff")).isEqualTo(5);
            assertThat(settings.thresholds().of("ImagePullBackOff")).isEqualTo(3);
            assertThat(settings.thresholds().of("OOMKilled")).isEqualTo(1);
        }

        @Test
        @DisplayName("KUBE_SENTRY_THRESHOLDS may add a reason that has no default and tolerates spaces")
        void thresholdsForNewReason() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_THRESHOLDS", " FailedCreatePodSandBox : 2 , Unhealthy:1 ");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.thresholds().of("FailedCreatePodSandBox")).isEqualTo(2);
            assertThat(settings.thresholds().of("Unhealthy")).isEqualTo(1);
        }

        static Stream<Arguments> durations() {
            return Stream.of(
                    arguments("30s", Duration.ofSeconds(30)),
                    arguments("5m", Duration.ofMinutes(5)),
                    arguments("1h", Duration.ofHours(1)),
                    arguments("1h30m", Duration.ofMinutes(90)),
                    arguments("2d", Duration.ofDays(2)),
                    arguments("500ms", Duration.ofMillis(500)),
                    arguments("PT5M", Duration.ofMinutes(5)),
                    arguments("pt90s", Duration.ofSeconds(90)),
                    arguments(" 10m ", Duration.ofMinutes(10)));
        }

        @ParameterizedTest(name = "\"{0}\" -> {1}")
        @MethodSource("durations")
        @DisplayName("KUBE_SENTRY_DEDUP_WINDOW reads short and ISO-8601 durations")
        void dedupWindow(String text, Duration expected) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_DEDUP_WINDOW", text);

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.dedupWindow()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "\"{0}\" -> {1}")
        @MethodSource("durations")
        @DisplayName("KUBE_SENTRY_THRESHOLD_WINDOW reads short and ISO-8601 durations")
        void thresholdWindow(String text, Duration expected) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_THRESHOLD_WINDOW", text);

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.thresholdWindow()).isEqualTo(expected);
        }

        @Test
        @DisplayName("namespace lists are comma-separated and may carry spaces")
        void namespaceListsWithSpaces() {
            // Given
            Map<String, String> env = Map.of(
                    "KUBE_SENTRY_NAMESPACES", " default , payments,, shop-2 ",
                    "KUBE_SENTRY_EXCLUDE_NAMESPACES", "monitoring , kube-public");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.namespaces()).containsExactlyInAnyOrder("default", "payments", "shop-2");
            assertThat(settings.excludedNamespaces()).containsExactlyInAnyOrder("monitoring", "kube-public");
        }

        @ParameterizedTest(name = "KUBE_SENTRY_EXCLUDE_NAMESPACES=\"{0}\"")
        @CsvSource(value = {"''", "'   '"}, quoteCharacter = '\'')
        @DisplayName("KUBE_SENTRY_EXCLUDE_NAMESPACES set to empty excludes nothing, not even kube-system")
        void emptyExcludeListExcludesNothing(String value) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_EXCLUDE_NAMESPACES", value);

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.excludedNamespaces()).isEmpty();
        }

        @ParameterizedTest(name = "KUBE_SENTRY_ENABLE_LOGS={0} -> {1}")
        @CsvSource({
            "true, true", "TRUE, true", "yes, true", "1, true", "on, true",
            "false, false", "False, false", "no, false", "0, false", "off, false"})
        @DisplayName("KUBE_SENTRY_ENABLE_LOGS reads the usual spellings of a boolean")
        void booleans(String text, boolean expected) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_ENABLE_LOGS", text);

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.logsEnabled()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "KUBE_SENTRY_LOG_LEVEL={0} -> {1}")
        @CsvSource({"debug, DEBUG", "INFO, INFO", "warn, WARN", "warning, WARN", "Error, ERROR"})
        @DisplayName("KUBE_SENTRY_LOG_LEVEL reads level names in any case")
        void logLevels(String text, LogLevel expected) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_LOG_LEVEL", text);

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.logLevel()).isEqualTo(expected);
        }

        @Test
        @DisplayName("KUBE_SENTRY_EVENTS replaces the default reasons")
        void events() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_EVENTS", "OOMKilled, FailedCreatePodSandBox");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.reasons()).containsExactlyInAnyOrder("OOMKilled", "FailedCreatePodSandBox");
        }

        @Test
        @DisplayName("reasons in KUBE_SENTRY_EVENTS and KUBE_SENTRY_THRESHOLDS match the known ones whatever their case")
        void reasonsIgnoreCase() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_EVENTS", "oomkilled,CRASHLOOPBACKOFF,unhealthy,nodenotready",
                    "KUBE_SENTRY_THRESHOLDS", "unhealthy:10,imagepullbackoff:4,failedcreatepodsandbox:2");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.reasons())
                    .containsExactlyInAnyOrder("OOMKilled", "CrashLoopBackOff", "Unhealthy", "NodeNotReady");
            assertThat(settings.thresholds().of("Unhealthy")).isEqualTo(10);
            assertThat(settings.thresholds().of("ImagePullBackOff")).isEqualTo(4);
            assertThat(settings.thresholds().of("FailedCreatePodSandBox")).isEqualTo(2);
            assertThat(settings.thresholds().byReason()).doesNotContainKey("unhealthy");
            assertThat(SettingsParser.unknownReasonWarnings(settings)).isEmpty();
        }

        @Test
        @DisplayName("a reason nobody knows is kept as typed, with one warning naming the closest known reasons")
        void unknownReasonsWarned() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_EVENTS", "OOMKiled,Unhealthy,MyOperatorFailed",
                    "KUBE_SENTRY_THRESHOLDS", "Unhealthy:3,ImagePullBackof:4");

            // When
            Settings settings = SettingsParser.parse(env);
            List<String> warnings = SettingsParser.unknownReasonWarnings(settings);

            // Then
            assertThat(settings.reasons()).containsExactlyInAnyOrder("OOMKiled", "Unhealthy", "MyOperatorFailed");
            assertThat(warnings).hasSize(3);
            assertThat(warnings.get(0)).startsWith("KUBE_SENTRY_EVENTS: 'MyOperatorFailed' is no reason");
            assertThat(warnings.get(1)).startsWith("KUBE_SENTRY_EVENTS: 'OOMKiled' is no reason")
                    .contains("Closest known: OOMKilled, OOMKilling");
            assertThat(warnings.get(2)).startsWith("KUBE_SENTRY_THRESHOLDS: 'ImagePullBackof' is no reason")
                    .contains("Closest known: ImagePullBackOff");
        }

        @Test
        @DisplayName("SENTRY_DSN and SENTRY_ENVIRONMENT are taken as given")
        void dsnAndEnvironment() {
            // Given
            Map<String, String> env = Map.of(
                    "SENTRY_DSN", "https://abc123def@o1.ingest.example.invalid/42",
                    "SENTRY_ENVIRONMENT", "staging");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.sentryDsn()).map(SentryDsn::value)
                    .contains("https://abc123def@o1.ingest.example.invalid/42");
            assertThat(settings.sentryDsn()).map(dsn -> dsn.uri().getHost()).contains("o1.ingest.example.invalid");
            assertThat(settings.environment()).isEqualTo("staging");
        }

        @Test
        @DisplayName("KUBE_SENTRY_ROUTES_DIR names an existing directory")
        void routesDirectory(@TempDir Path routes) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_ROUTES_DIR", routes.toString());

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.routesDirectory()).contains(routes);
        }

        @Test
        @DisplayName("a variable set to blanks counts as not set")
        void blankMeansDefault() {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_DEDUP_WINDOW", "  ", "SENTRY_DSN", "", "KUBE_SENTRY_EVENTS", " ");

            // When
            Settings settings = SettingsParser.parse(env);

            // Then
            assertThat(settings.dedupWindow()).isEqualTo(Duration.ofMinutes(5));
            assertThat(settings.sentryDsn()).isEmpty();
            assertThat(settings.reasons()).hasSize(9);
        }
    }

    @Nested
    @DisplayName("with a bad value")
    class BadValues {

        static Stream<Arguments> badValues() {
            return Stream.of(
                    arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy:abc", "Reason:count"),
                    arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy", "Reason:count"),
                    arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy:0", "Reason:count"),
                    arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy:-3", "Reason:count"),
                    arguments("KUBE_SENTRY_THRESHOLDS", "Unhealthy:5:1", "Reason:count"),
                    arguments("KUBE_SENTRY_THRESHOLDS", ":5", "Reason:count"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "5x", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "0s", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "-5m", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "PT0S", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "PT-5M", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_DEDUP_WINDOW", "5", "30s, 5m, 1h"),
                    arguments("KUBE_SENTRY_THRESHOLD_WINDOW", "an hour", "30s, 5m, 1h"),
                    arguments("SENTRY_DSN", "not-a-dsn", "https://<public-key>@<host>/<project-id>"),
                    arguments("SENTRY_DSN", "https://sentry.io/1", "https://<public-key>@<host>/<project-id>"),
                    arguments("SENTRY_DSN", "ftp://key@host/1", "https://<public-key>@<host>/<project-id>"),
                    arguments("SENTRY_DSN", "https://key@host/", "https://<public-key>@<host>/<project-id>"),
                    arguments("SENTRY_DSN", "https://key@/1", "https://<public-key>@<host>/<project-id>"),
                    arguments("SENTRY_DSN", "https://key@host name/1", "https://<public-key>@<host>/<project-id>"),
                    arguments("KUBE_SENTRY_LOG_LEVEL", "verbose", "debug, info, warn, error"),
                    arguments("KUBE_SENTRY_NAMESPACES", "default,Bad_NS", "comma-separated names"),
                    arguments("KUBE_SENTRY_EXCLUDE_NAMESPACES", "Bad_NS", "comma-separated names"),
                    arguments("KUBE_SENTRY_EXCLUDE_NAMESPACES", "-leading-dash", "comma-separated names"),
                    arguments("KUBE_SENTRY_EVENTS", "OOMKilled,Crash Loop", "comma-separated reasons"),
                    arguments("KUBE_SENTRY_ENABLE_LOGS", "maybe", "true or false"),
                    arguments("KUBE_SENTRY_HTTP_HOST", "localhost", "0.0.0.0"),
                    arguments("KUBE_SENTRY_HTTP_HOST", "256.1.1.1", "0.0.0.0"),
                    arguments("KUBE_SENTRY_HTTP_HOST", "10.0.0", "0.0.0.0"),
                    arguments("KUBE_SENTRY_HTTP_HOST", ":::::", "0.0.0.0"),
                    arguments("KUBE_SENTRY_HTTP_HOST", "fd00::1::2", "0.0.0.0"));
        }

        @ParameterizedTest(name = "{0}={1}")
        @MethodSource("badValues")
        @DisplayName("fails with a message naming the variable and the expected format")
        void rejected(String variable, String value, String expectedFormat) {
            // Given
            Map<String, String> env = Map.of(variable, value);

            // When / Then
            assertThatThrownBy(() -> SettingsParser.parse(env))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.variable()).isEqualTo(variable);
                        assertThat(e.getMessage()).startsWith(variable + ": ").contains("expected", expectedFormat);
                    });
        }

        @Test
        @DisplayName("KUBE_SENTRY_ROUTES_DIR that is a file, not a directory, fails naming the variable")
        void routesDirectoryIsAFile(@TempDir Path temp) throws Exception {
            // Given
            Path file = Files.writeString(temp.resolve("routes.camel.yaml"), "- route: {}\n");
            Map<String, String> env = Map.of("KUBE_SENTRY_ROUTES_DIR", file.toString());

            // When / Then
            assertThatThrownBy(() -> SettingsParser.parse(env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("KUBE_SENTRY_ROUTES_DIR: ")
                    .hasMessageContaining("is not a directory")
                    .hasMessageContaining("*.camel.yaml");
        }

        @Test
        @DisplayName("KUBE_SENTRY_ROUTES_DIR that does not exist fails naming the variable")
        void routesDirectoryMissing(@TempDir Path temp) {
            // Given
            Map<String, String> env = Map.of("KUBE_SENTRY_ROUTES_DIR", temp.resolve("nowhere").toString());

            // When / Then
            assertThatThrownBy(() -> SettingsParser.parse(env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("KUBE_SENTRY_ROUTES_DIR: ")
                    .hasMessageContaining("nowhere");
        }

        @ParameterizedTest(name = "SENTRY_DSN={0}")
        @CsvSource(value = {
            "https://secretkey123@/",
            "secretkey123@o1.ingest.example.invalid/42",
            "//secretkey123@o1.ingest.example.invalid/42",
            "ftp://secretkey123@o1.ingest.example.invalid/42",
            "https://secretkey123@o1.ingest.example.invalid/",
            "https://secretkey123:oldsecret456@o1.ingest.example.invalid/"})
        @DisplayName("a malformed DSN is never echoed with its key")
        void malformedDsnKeyNotEchoed(String dsn) {
            // Given
            Map<String, String> env = Map.of("SENTRY_DSN", dsn);

            // When / Then
            assertThatThrownBy(() -> SettingsParser.parse(env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("SENTRY_DSN: ")
                    .hasMessageNotContaining("secretkey123")
                    .hasMessageNotContaining("oldsecret456");
        }
    }

    @Nested
    @DisplayName("SentryDsn")
    class SentryDsnRedaction {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "https://abc123def@o1.ingest.example.invalid/42, https://****@o1.ingest.example.invalid/42",
            "http://abc123def:oldsecret@127.0.0.1:9000/7, http://****@127.0.0.1:9000/7"})
        @DisplayName("toString() and redacted() show the host and project but never the key")
        void neverShowsTheKey(String text, String expected) {
            // Given
            SentryDsn dsn = SentryDsn.parse("SENTRY_DSN", text);

            // When
            String redacted = dsn.redacted();
            String shown = dsn.toString();

            // Then
            assertThat(redacted).isEqualTo(expected).doesNotContain("abc123def").doesNotContain("oldsecret");
            assertThat(shown).isEqualTo(expected);
        }

        @Test
        @DisplayName("Settings.toString() shows the DSN redacted")
        void settingsToStringRedacts() {
            // Given
            Settings settings = SettingsParser.parse(
                    Map.of("SENTRY_DSN", "https://abc123def@o1.ingest.example.invalid/42"));

            // When
            String shown = settings.toString();

            // Then
            assertThat(shown).contains("https://****@o1.ingest.example.invalid/42").doesNotContain("abc123def");
        }
    }
}
