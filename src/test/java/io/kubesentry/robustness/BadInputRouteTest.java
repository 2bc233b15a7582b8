package io.kubesentry.robustness;

import static io.kubesentry.support.SentryRecorder.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.RunningAgent;
import io.kubesentry.support.SentryRecorder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hostile events and pods against the running agent: skipped or reported with what is known, the watch goes on")
class BadInputRouteTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final String NS = "shop";
    private static final String POD = "api-7d9f8b6c5-x2k4q";
    /** Emoji (a ZWJ sequence too), Hebrew and Arabic, a bidi override, a NUL and an escape character. */
    private static final String ODD_TEXT = "💥 Fehler 👩‍👩‍👧‍👦 שלום עולם مرحبا \u202Eevil.exe\u202C nul:\u0000 esc:\u001b[31m";
    /** Sentry drops an event over 1 MB; an issue's message is cut at 8,192 characters by Sentry anyway. */
    private static final int SENTRY_EVENT_LIMIT = 1_000_000;
    private static final Pattern SKIPPED = Pattern.compile("Skipped an event in (\\S+): (.*)");

    private MockCluster cluster;
    private SentryRecorder sentry;
    private RunningAgent agent;
    private final StandardErrorTee stderr = new StandardErrorTee();

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment(NS, "api", "node-1", POD);
        stderr.install();
        agent = RunningAgent.start(cluster, sentry, Map.of());
    }

    @AfterEach
    void stop() {
        try {
            if (agent != null) {
                agent.close();
            }
            sentry.close();
            cluster.close();
        } finally {
            stderr.uninstall();
        }
    }

    @Test
    @DisplayName("After a batch of hostile events and pods, a valid critical event still becomes its issue")
    void routeSurvivesHostileInput() {
        // Given: hostile events, each a workload of its own so each is one fingerprint
        Instant now = Instant.now();
        cluster.create(event("no-regarding", "FailedScheduling", "nobody").withRegarding(null).build());
        cluster.create(event("no-ns", "FailedMount", "regarding without namespace")
                .editRegarding().withNamespace(null).endRegarding().build());
        cluster.create(event("bare-timeless", "FailedMount", "no count, no timestamps")
                .withDeprecatedCount(null).withDeprecatedFirstTimestamp(null).withDeprecatedLastTimestamp(null)
                .withEventTime(null).build());
        cluster.create(event("negative", "FailedMount", "count below zero, time unparseable")
                .withDeprecatedCount(-5).withDeprecatedLastTimestamp("yesterday-ish").build());
        cluster.create(event("thing-1", "FailedMount", "an unknown kind")
                .editRegarding().withKind("Frobnicator").withApiVersion("example.com/v1").withFieldPath(null)
                .endRegarding().build());
        cluster.create(event("big", "FailedScheduling", "0/3 nodes are available: " + Hostile.MEGABYTE_NOTE).build());
        cluster.create(event("pull", "Failed", Hostile.REGEX_BOMB).build());
        cluster.create(event("emoji", "FailedMount", ODD_TEXT).build());
        cluster.create(event("emoji-reason", "💥Crash\u202Eevil\u0000", ODD_TEXT).build());
        cluster.create(event("spaced name 💥", "FailedMount", "a name no API server would accept").build());
        cluster.create(event("huge-" + "x".repeat(1_000_000), "FailedMount", "a name a megabyte long").build());
        cluster.create(event("far-future", "FailedMount", "last seen in the year 999999999, which Date cannot hold")
                .withDeprecatedLastTimestamp("+999999999-12-31T23:59:59Z").build());

        // Given: hostile pods
        createPod("null-states", status(new ContainerStatusBuilder().withName("app").withRestartCount(null)
                .withState(null).withLastState(null).build()));
        createPod("frob-waiting", status(new ContainerStatusBuilder().withName("app").withRestartCount(-3)
                .withNewState().withNewWaiting().withReason("Frobnicating").endWaiting().endState().build()));
        createPod("crashy", status(new ContainerStatusBuilder().withName("app").withRestartCount(null)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage(null).endWaiting()
                .endState().build()));
        createPod("oom-bare", status(new ContainerStatusBuilder().withName("app")
                .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(null).withContainerID(null)
                .withFinishedAt("not a time").endTerminated().endState().build()));
        createPod("nameless-containers", status(new ContainerStatusBuilder().withName(null)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().build()));

        // When: a valid critical event after all of them
        cluster.create(cluster.podEvent(NS, POD, "Evicted", "The node was low on resource: memory.", 1, now).build());

        // Then: the valid event became its issue: the route survived
        await().atMost(ARRIVAL).until(() -> issue(NS, "Deployment/api", "Evicted").isPresent());

        // Then: what is known is reported, each as its own fingerprint
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(fingerprints()).contains(
                List.of(NS, "Pod/no-ns", "FailedMount"),
                List.of(NS, "Pod/bare-timeless", "FailedMount"),
                List.of(NS, "Pod/negative", "FailedMount"),
                List.of(NS, "Frobnicator/thing-1", "FailedMount"),
                List.of(NS, "Pod/big", "FailedScheduling"),
                List.of(NS, "Pod/emoji", "FailedMount"),
                List.of(NS, "Pod/spaced name 💥", "FailedMount"),
                List.of(NS, "Pod/far-future", "FailedMount"),
                List.of(NS, "Pod/crashy", "CrashLoopBackOff"),
                List.of(NS, "Pod/oom-bare", "OOMKilled")));
        assertThat(fingerprints()).as("unwatched reasons and pods with nothing to report")
                .noneMatch(fingerprint -> fingerprint.get(1).equals("Pod/emoji-reason"))
                .noneMatch(fingerprint -> fingerprint.get(1).equals("Pod/null-states"))
                .noneMatch(fingerprint -> fingerprint.get(1).equals("Pod/frob-waiting"))
                .noneMatch(fingerprint -> fingerprint.get(1).equals("Pod/nameless-containers"))
                .noneMatch(fingerprint -> fingerprint.get(1).equals("Pod/no-regarding"));
        for (JsonNode issue : sentry.issues()) {
            assertWellFormed(issue);
        }
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(fingerprints())
                .anySatisfy(fingerprint -> assertThat(fingerprint.get(1)).as("a name cut to Kubernetes' 253")
                        .startsWith("Pod/huge-xxx").endsWith("…").hasSize("Pod/".length() + 253)));

        // Then: the image pull failure of a megabyte is one occurrence toward its threshold, not a stalled route
        agent.flush();
        await().atMost(ARRIVAL).until(() -> {
            agent.flush();
            return sentry.logs().stream().anyMatch(log -> "pull".equals(attribute(log, "k8s.pod")));
        });

        // Then: a megabyte note reaches Sentry cut to what Sentry keeps, in an event far below Sentry's limit
        JsonNode big = issue(NS, "Pod/big", "FailedScheduling").orElseThrow();
        assertThat(big.path("message").path("formatted").asText())
                .startsWith("FailedScheduling: Pod/big in shop: 0/3 nodes are available: xxx")
                .endsWith(" [... truncated from " + ("0/3 nodes are available: " + Hostile.MEGABYTE_NOTE).length()
                        + " characters]")
                .hasSizeLessThanOrEqualTo(ClusterEvent.MAX_MESSAGE_LENGTH + 100);
        assertThat(big.path("extra").path("event_message").asText())
                .hasSizeLessThanOrEqualTo(ClusterEvent.MAX_MESSAGE_LENGTH);
        for (JsonNode issue : sentry.issues()) {
            assertThat(issue.toString().getBytes(StandardCharsets.UTF_8).length)
                    .as("size of issue %s", issue.path("fingerprint")).isLessThan(SENTRY_EVENT_LIMIT / 4);
        }
        JsonNode bigLog = sentry.logs().stream().filter(log -> "big".equals(attribute(log, "k8s.pod")))
                .findFirst().orElseThrow();
        assertThat(bigLog.path("body").asText()).hasSizeLessThanOrEqualTo(ClusterEvent.MAX_MESSAGE_LENGTH + 100);

        // Then: emoji, RTL text, NUL and escape characters arrive as they were written
        JsonNode emoji = issue(NS, "Pod/emoji", "FailedMount").orElseThrow();
        assertThat(emoji.path("message").path("formatted").asText())
                .isEqualTo("FailedMount: Pod/emoji in shop: " + ODD_TEXT.strip());
        Instant farFutureSeen = Instant.parse(issue(NS, "Pod/far-future", "FailedMount").orElseThrow()
                .path("extra").path("last_seen").asText());
        assertThat(farFutureSeen).as("a year beyond RFC 3339 is no time: the event's eventTime is")
                .isBetween(now.minusSeconds(60), Instant.now());

        // Then: the only failures the routes logged were the malformed events, and every route still runs
        assertThat(stderr.skipped()).as("'Skipped an event' warnings").isNotEmpty()
                .allSatisfy(skip -> assertThat(skip).contains("names no involved object"));
        CamelContext camel = agent.application().main().getCamelContext();
        assertThat(camel.getRoutes()).extracting(Route::getRouteId)
                .allSatisfy(id -> assertThat(camel.getRouteController().getRouteStatus(id).isStarted())
                        .as("route %s started", id).isTrue());
    }

    private static void assertWellFormed(JsonNode issue) {
        List<String> fingerprint = texts(issue.path("fingerprint"));
        assertThat(fingerprint).as("fingerprint of %s", issue.path("message")).hasSize(3)
                .allSatisfy(part -> assertThat(part).isNotBlank());
        issue.path("tags").fields().forEachRemaining(tag -> assertThat(tag.getValue().isTextual())
                .as("tag %s", tag.getKey()).isTrue());
        assertThat(issue.path("level").asText()).isIn("error", "warning", "info");
    }

    private EventBuilder event(String pod, String reason, String note) {
        return cluster.podEvent(NS, pod, reason, note, 1, Instant.now())
                .editMetadata().withName("hostile." + UUID.randomUUID()).endMetadata();
    }

    private static PodStatus status(io.fabric8.kubernetes.api.model.ContainerStatus containerStatus) {
        List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
        statuses.add(containerStatus);
        PodStatus status = new PodStatus();
        status.setPhase("Running");
        status.setContainerStatuses(statuses);
        status.setConditions(null);
        return status;
    }

    /** A bare pod (no owner, not in any workload) with this status, created as the API server would store it. */
    private void createPod(String name, PodStatus status) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().withNodeName("node-1").endSpec()
                .build();
        Pod created = cluster.client().pods().inNamespace(NS).resource(pod).create();
        created.setStatus(status);
        cluster.updateStatus(created);
    }

    private Optional<JsonNode> issue(String namespace, String workload, String reason) {
        return sentry.issues().stream()
                .filter(issue -> texts(issue.path("fingerprint")).equals(List.of(namespace, workload, reason)))
                .findFirst();
    }

    private List<List<String>> fingerprints() {
        return sentry.issues().stream().map(issue -> texts(issue.path("fingerprint"))).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /**
     * Reads what the agent logs (slf4j-simple writes to {@code System.err} as it is at each write) while passing it
     * on, to find the routes' "Skipped an event" warnings.
     */
    private static final class StandardErrorTee {

        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private PrintStream original;

        void install() {
            original = System.err;
            OutputStream both = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (captured) {
                        captured.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    synchronized (captured) {
                        captured.write(bytes, offset, length);
                    }
                    original.write(bytes, offset, length);
                }
            };
            System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
        }

        void uninstall() {
            if (original != null) {
                System.setErr(original);
            }
        }

        List<String> skipped() {
            String text;
            synchronized (captured) {
                text = captured.toString(StandardCharsets.UTF_8);
            }
            List<String> skipped = new ArrayList<>();
            Matcher matcher = SKIPPED.matcher(text);
            while (matcher.find()) {
                skipped.add(matcher.group(1) + ": " + matcher.group(2));
            }
            return skipped;
        }
    }
}
