package io.kubesentry.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.sentry.ConsoleSentryPublisher;
import io.kubesentry.sentry.SdkSentryPublisher;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Replaying the recorded events bundled in examples/")
class ReplayTest {

    private static final Path RECORDING = Path.of("examples/cluster-events.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("without a DSN prints one JSON line per issue and log it would send")
    void dryRun() throws Exception {
        // Given
        Settings settings = SettingsParser.parse(Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // When
        try (KubeSentryApplication application = KubeSentryApplication.create(KubeSentryConfiguration.replaying(settings,
                new ConsoleSentryPublisher(new PrintStream(out, true, StandardCharsets.UTF_8))),
                KubeSentryApplication.routesIn(RunningAgent.SHIPPED_ROUTES)).start()) {
            replay(application);
        }

        // Then
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        List<String> issues = lines.stream().filter(line -> line.path("sentry").asText().equals("issue"))
                .map(line -> String.join(" ", texts(line.path("fingerprint")))).toList();
        // checkout's BackOff (x72) is logged, no issue: without its Pod status it proves one restart, not 72
        assertThat(issues).containsExactlyInAnyOrder(
                "monitoring Deployment/dashboard Unhealthy",
                "default Deployment/data-transfer-web ImagePullBackOff",
                "default Deployment/resource-test FailedScheduling",
                "registry Deployment/harbor-chartmuseum Evicted",
                "default Deployment/spartakus-collector FailedMount",
                "default Node/node-7 OOMKilled");
        List<JsonNode> logs = lines.stream().filter(line -> line.path("sentry").asText().equals("log")).toList();
        assertThat(logs).hasSize(11)
                .noneSatisfy(log -> assertThat(log.path("attributes").path("k8s.namespace").asText())
                        .isEqualTo("kube-system"));
        assertThat(logs).extracting(log -> log.path("attributes").path("k8s.reason").asText())
                .doesNotContain("Started", "Scheduled", "Failed", "OOMKilling");
    }

    @Test
    @DisplayName("with a DSN sends the same issues through the Sentry SDK")
    void sendsToSentry() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given
            Settings settings = SettingsParser.parse(Map.of(SettingsParser.SENTRY_DSN, sentry.dsn()));

            // When
            try (KubeSentryApplication application = KubeSentryApplication.create(KubeSentryConfiguration.replaying(settings,
                    new SdkSentryPublisher(settings.sentryDsn().orElseThrow(), "replay", "test")),
                    KubeSentryApplication.routesIn(RunningAgent.SHIPPED_ROUTES)).start()) {
                replay(application);
            }

            // Then: close() flushed what the SDK buffered
            assertThat(sentry.issues()).hasSize(6);
            assertThat(sentry.logs()).hasSize(11);
            assertThat(sentry.paths()).allMatch(path -> path.equals("/api/1/envelope/"));
        }
    }

    private static void replay(KubeSentryApplication application) {
        new Replay(application, Replay.Mode.JSON, new PrintStream(OutputStream.nullOutputStream()), System.err)
                .run(List.of(RECORDING.toString()), InputStream.nullInputStream());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
