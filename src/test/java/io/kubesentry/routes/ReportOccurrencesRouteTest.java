package io.kubesentry.routes;

import static io.kubesentry.support.SentryRecorder.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.DedupWindow;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The shipped routes, watching a mock API server and sending to a recording Sentry")
class ReportOccurrencesRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    /** The kubelet writes it once per failed pull: its count is the number of attempts. */
    private static final String PULL = "Failed to pull image \"shop/api:9.9.9\": rpc error: code = NotFound desc ="
            + " failed to pull and unpack image \"docker.io/shop/api:9.9.9\": not found";

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q", "api-7d9f8b6c5-b8n4z");
    }

    @AfterEach
    void stopEverything() {
        if (agent != null) {
            agent.close();
        }
        sentry.close();
        cluster.close();
    }

    private void startAgent(Map<String, String> env) {
        agent = RunningAgent.start(cluster, sentry, env);
    }

    @Test
    @DisplayName("Failed pulls become one issue when their count reaches 3, not before, with a log per occurrence")
    void backOffThreshold() {
        // Given
        startAgent(Map.of());
        Instant now = Instant.now();
        Event event = cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Failed", PULL, 1, now).build());
        cluster.repeat(event, 2, now);
        awaitLogs(2);

        // Then: two failed pulls, below the threshold of 3
        assertThat(sentry.issues()).isEmpty();

        // When
        cluster.repeat(event, 3, now);

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        JsonNode issue = sentry.issues().get(0);
        assertThat(issue.path("level").asText()).isEqualTo("error");
        assertThat(texts(issue.path("fingerprint"))).containsExactly("shop", "Deployment/api", "ImagePullBackOff");
        assertThat(issue.path("message").path("formatted").asText())
                .isEqualTo("ImagePullBackOff: Pod/api-7d9f8b6c5-x2k4q in shop: " + PULL);
        assertThat(issue.path("environment").asText()).isEqualTo("test");
        JsonNode tags = issue.path("tags");
        assertThat(tags.path("k8s.namespace").asText()).isEqualTo("shop");
        assertThat(tags.path("k8s.pod").asText()).isEqualTo("api-7d9f8b6c5-x2k4q");
        assertThat(tags.path("k8s.node").asText()).isEqualTo("node-1");
        assertThat(tags.path("k8s.reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(tags.path("k8s.deployment").asText()).isEqualTo("api");
        assertThat(issue.path("extra").path("event_count").asInt()).isEqualTo(3);
        assertThat(issue.path("extra").path("event_message").asText()).isEqualTo(PULL);
        assertThat(issue.path("extra").path("first_seen").asText()).isNotBlank();
        JsonNode help = issue.path("contexts").path("troubleshooting");
        assertThat(help.path("description").asText()).isNotBlank();
        assertThat(help.path("likely_causes")).isNotEmpty();
        assertThat(help.path("runbook_url").asText()).startsWith("https://kubernetes.io/docs/");
        assertThat(texts(help.path("debug_commands")))
                .anySatisfy(command -> assertThat(command).contains("api-7d9f8b6c5-x2k4q").contains("-n shop"));
        assertThat(texts(issue.path("breadcrumbs"), "message"))
                .anySatisfy(crumb -> assertThat(crumb).startsWith("kubectl").contains("api-7d9f8b6c5-x2k4q"))
                .anySatisfy(crumb -> assertThat(crumb).contains(PULL));

        agent.flush();
        await().atMost(ARRIVAL).until(() -> sentry.logs().size() == 3);
        JsonNode log = sentry.logs().get(2);
        assertThat(log.path("body").asText()).isEqualTo("ImagePullBackOff: Pod/api-7d9f8b6c5-x2k4q in shop: " + PULL);
        assertThat(attribute(log, "k8s.namespace")).isEqualTo("shop");
        assertThat(attribute(log, "k8s.pod")).isEqualTo("api-7d9f8b6c5-x2k4q");
        assertThat(attribute(log, "k8s.node")).isEqualTo("node-1");
        assertThat(attribute(log, "k8s.reason")).isEqualTo("ImagePullBackOff");
        assertThat(attribute(log, "k8s.kind")).isEqualTo("Pod");
        assertThat(attribute(log, "k8s.deployment")).isEqualTo("api");
        assertThat(attribute(log, "k8s.event_count")).isEqualTo("3");
    }

    @Test
    @DisplayName("Two pods of one Deployment share one fingerprint, and a repeat inside the window is no second issue")
    void oneIssuePerIncident() {
        // Given
        startAgent(Map.of());
        String note = "0/3 nodes are available: 3 Insufficient memory.";

        // When
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling", note, 1, Instant.now())
                .build());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-b8n4z", "FailedScheduling", note, 1, Instant.now())
                .build());
        awaitLogs(2);

        // Then
        assertThat(sentry.issues()).hasSize(1);
        assertThat(texts(sentry.issues().get(0).path("fingerprint")))
                .containsExactly("shop", "Deployment/api", "FailedScheduling");
        assertThat(sentry.logs()).extracting(log -> attribute(log, "k8s.pod"))
                .containsExactlyInAnyOrder("api-7d9f8b6c5-x2k4q", "api-7d9f8b6c5-b8n4z");
    }

    @Test
    @DisplayName("A repeat after the dedup window is a new issue")
    void repeatAfterWindow() {
        // Given
        startAgent(Map.of("KUBE_SENTRY_DEDUP_WINDOW", "1s"));
        Instant now = Instant.now();
        Event event = cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedMount",
                "MountVolume.SetUp failed for volume \"config\" : configmap \"api-config\" not found", 1, now)
                .build());
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);

        // When: the window passes, then the mount fails again
        DedupWindow.awaitPassedSince(sentry.issues().get(0), Duration.ofSeconds(1));
        cluster.repeat(event, 2, Instant.now());

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 2);
    }

    @Test
    @DisplayName("Nothing is sent for kube-system, for reasons not watched, or for events older than start-up")
    void filtered() {
        // Given: an hour-old event stored before the agent starts
        cluster.deployment("kube-system", "coredns", "node-2", "coredns-5d78c9869d-8xkqz");
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling", "old", 4,
                Instant.now().minusSeconds(3600)).build());
        startAgent(Map.of());

        // When
        cluster.create(cluster.podEvent("kube-system", "coredns-5d78c9869d-8xkqz", "FailedScheduling",
                "0/3 nodes are available", 1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Pulled", "Successfully pulled image",
                1, Instant.now()).build());
        // a marker that does pass, so the test knows the events before it were processed
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-b8n4z", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        awaitLogs(1);

        // Then
        assertThat(sentry.issues()).extracting(issue -> issue.path("tags").path("k8s.reason").asText())
                .containsExactly("Evicted");
        assertThat(sentry.logs()).extracting(log -> attribute(log, "k8s.reason")).containsExactly("Evicted");
    }

    @Test
    @DisplayName("An event written while the agent boots, before its watch, is reported once")
    void eventDuringBoot() {
        // Given: stored just before the watch starts, last seen after start-up (a second ahead, so the
        // whole-second cutoff cannot round it away)
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient memory.", 1, Instant.now().plusSeconds(2)).build());

        // When
        startAgent(Map.of());

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        awaitLogs(1);
    }

    @Test
    @DisplayName("A malformed event is skipped and the watch goes on")
    void malformedEventSkipped() {
        // Given
        startAgent(Map.of());
        Event broken = cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling", "no object", 1,
                Instant.now()).withRegarding(null).build();

        // When
        cluster.create(broken);
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        assertThat(sentry.issues().get(0).path("tags").path("k8s.reason").asText()).isEqualTo("Evicted");
    }

    @Test
    @DisplayName("With KUBE_SENTRY_ENABLE_LOGS=false issues are sent and logs are not")
    void logsDisabled() {
        // Given
        startAgent(Map.of("KUBE_SENTRY_ENABLE_LOGS", "false"));

        // When
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        agent.flush();

        // Then
        assertThat(sentry.logs()).isEmpty();
    }

    private void awaitLogs(int count) {
        await().atMost(ARRIVAL).until(() -> {
            agent.flush();
            return sentry.logs().size() >= count;
        });
        assertThat(sentry.logs()).hasSize(count);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }

}
