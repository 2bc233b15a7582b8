package io.kubesentry.kamelets;

import static io.kubesentry.support.SentryRecorder.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.sentry.ConsoleSentryPublisher;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SdkSentryPublisher;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.support.BeanRefs;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.SentryRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kamelets of {@code kamelets/} composed as a Camel K Pipe composes them (source, the log sink as a step,
 * the issue sink), run by the agent's own camel-main against the mock API server and the recording Sentry:
 * they must behave like the shipped routes.
 */
@DisplayName("The Kamelets, composed in a Pipe-like route")
class KameletPipeTest {

    static final Path KAMELETS = Path.of("kamelets");
    static final Path PIPE = Path.of("src/test/resources/kamelets/pipe.camel.yaml");
    static final Map<String, String> TYPES = Map.of(
            "kube-critical-events-source", "source",
            "kube-pod-status-source", "source",
            "sentry-log-sink", "sink",
            "sentry-issue-sink", "sink");

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    /** The kubelet writes it once per failed pull: its count is the number of attempts. */
    private static final String PULL = "Failed to pull image \"shop/api:9.9.9\": rpc error: code = NotFound desc ="
            + " failed to pull and unpack image \"docker.io/shop/api:9.9.9\": not found";

    private MockCluster cluster;
    private SentryRecorder sentry;
    private KubeSentryApplication application;
    private SentryPublisher publisher;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new MockCluster();
        sentry = new SentryRecorder();
        cluster.deployment("shop", "api", "node-1", "api-7d9f8b6c5-x2k4q", "api-7d9f8b6c5-b8n4z");
    }

    @AfterEach
    void stopEverything() {
        if (application != null) {
            application.close();
        }
        sentry.close();
        cluster.close();
    }

    // ---- the Pipe, running ------------------------------------------------------------------------------

    @Test
    @DisplayName("A failed pull raised to count 3 is one issue [ns, Deployment/api, ImagePullBackOff], with a log per occurrence")
    void backOffThreshold() {
        // Given
        startPipe(Map.of());
        Instant now = Instant.now();
        Event event = cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Failed", PULL, 1, now).build());
        cluster.repeat(event, 2, now);
        awaitLogs(2);

        // Then: two occurrences, below ImagePullBackOff's threshold of 3
        assertThat(sentry.issues()).isEmpty();

        // When
        cluster.repeat(event, 3, now);

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        JsonNode issue = sentry.issues().get(0);
        assertThat(texts(issue.path("fingerprint"))).containsExactly("shop", "Deployment/api", "ImagePullBackOff");
        assertThat(issue.path("level").asText()).isEqualTo("error");
        assertThat(issue.path("message").path("formatted").asText())
                .isEqualTo("ImagePullBackOff: Pod/api-7d9f8b6c5-x2k4q in shop: " + PULL);
        JsonNode tags = issue.path("tags");
        assertThat(tags.path("k8s.deployment").asText()).isEqualTo("api");
        assertThat(tags.path("k8s.namespace").asText()).isEqualTo("shop");
        assertThat(tags.path("k8s.pod").asText()).isEqualTo("api-7d9f8b6c5-x2k4q");
        assertThat(tags.path("k8s.node").asText()).isEqualTo("node-1");
        assertThat(tags.path("k8s.reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(issue.path("extra").path("event_count").asInt()).isEqualTo(3);
        assertThat(issue.path("contexts").path("troubleshooting").path("description").asText()).isNotBlank();
        assertThat(texts(issue.path("breadcrumbs"), "message"))
                .as("recentEvents, remembered by the source, feeds the issue sink's breadcrumbs")
                .anySatisfy(crumb -> assertThat(crumb).contains(PULL));

        awaitLogs(3);
        // one log per occurrence; logs flushed apart may reach Sentry in either order
        assertThat(sentry.logs()).extracting(log -> attribute(log, "k8s.event_count"))
                .containsExactlyInAnyOrder("1", "2", "3");
        JsonNode log = sentry.logs().stream().filter(l -> attribute(l, "k8s.event_count").equals("3")).findFirst()
                .orElseThrow();
        assertThat(log.path("body").asText()).isEqualTo("ImagePullBackOff: Pod/api-7d9f8b6c5-x2k4q in shop: " + PULL);
        assertThat(attribute(log, "k8s.deployment")).isEqualTo("api");
        assertThat(attribute(log, "k8s.reason")).isEqualTo("ImagePullBackOff");

        // and a fourth occurrence within the dedup window is a log, not a second issue
        cluster.repeat(event, 4, now);
        awaitLogs(4);
        assertThat(sentry.issues()).hasSize(1);
    }

    @Test
    @DisplayName("Two pods of one Deployment share one issue")
    void onePerIncident() {
        // Given
        startPipe(Map.of());
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
    @DisplayName("Nothing for kube-system, reasons not watched, opted-out workloads, old or malformed Events")
    void filtered() {
        // Given: an hour-old event stored before start, a kube-system pod, an opted-out Deployment
        cluster.deployment("kube-system", "coredns", "node-2", "coredns-5d78c9869d-8xkqz");
        cluster.deployment("shop", "legacy", "node-1", "legacy-7d9f8b6c5-q7w2e");
        cluster.client().apps().deployments().inNamespace("shop").withName("legacy").edit(d -> {
            d.getMetadata().setAnnotations(Map.of("kube-sentry-events/ignore", "true"));
            return d;
        });
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling", "old", 4,
                Instant.now().minusSeconds(3600)).build());
        startPipe(Map.of());

        // When
        cluster.create(cluster.podEvent("kube-system", "coredns-5d78c9869d-8xkqz", "FailedScheduling",
                "0/3 nodes are available", 1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Pulled", "Successfully pulled image",
                1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "legacy-7d9f8b6c5-q7w2e", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "FailedScheduling", "no object", 1,
                Instant.now()).withRegarding(null).build());
        // a marker that passes, so the test knows the events before it went through
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-b8n4z", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        awaitLogs(1);

        // Then
        assertThat(sentry.issues()).extracting(issue -> issue.path("tags").path("k8s.pod").asText())
                .containsExactly("api-7d9f8b6c5-b8n4z");
        assertThat(sentry.logs()).extracting(log -> attribute(log, "k8s.pod")).containsExactly("api-7d9f8b6c5-b8n4z");
    }

    @Test
    @DisplayName("A Pod evicted (its status, no Event) is one issue, through kube-pod-status-source")
    void podStatus() {
        // Given
        startPipe(Map.of());
        Pod pod = cluster.pod("shop", "api-7d9f8b6c5-b8n4z");

        // When
        pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
        cluster.updateStatus(pod);

        // Then
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        assertThat(texts(sentry.issues().get(0).path("fingerprint"))).containsExactly("shop", "Deployment/api", "Evicted");
        awaitLogs(1);
    }

    @Test
    @DisplayName("KUBE_SENTRY_ENABLE_LOGS=false silences the log sink as it does the shipped route")
    void logsDisabled() {
        // Given
        startPipe(Map.of(SettingsParser.ENABLE_LOGS, "false"));

        // When
        cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x2k4q", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        await().atMost(ARRIVAL).until(() -> sentry.issues().size() == 1);
        publisher.flush(Duration.ofSeconds(5));

        // Then
        assertThat(sentry.logs()).isEmpty();
    }

    // ---- the Kamelet files --------------------------------------------------------------------------------

    static Stream<String> kamelets() {
        return TYPES.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kamelets")
    @DisplayName("parses as a camel.apache.org/v1 Kamelet with its type label, definition and template")
    void isAKamelet(String name) throws IOException {
        GenericKubernetesResource kamelet = kamelet(name);

        assertThat(kamelet.getApiVersion()).isEqualTo("camel.apache.org/v1");
        assertThat(kamelet.getKind()).isEqualTo("Kamelet");
        assertThat(kamelet.getMetadata().getName()).isEqualTo(name);
        assertThat(kamelet.getMetadata().getLabels()).containsEntry("camel.apache.org/kamelet.type", TYPES.get(name));
        assertThat((String) kamelet.get("spec", "definition", "title")).isNotBlank();
        assertThat((String) kamelet.get("spec", "definition", "description")).isNotBlank();
        assertThat((Map<String, Object>) kamelet.get("spec", "definition", "properties")).isNotNull();
        assertThat((List<String>) kamelet.get("spec", "dependencies")).anySatisfy(dependency ->
                assertThat(dependency).startsWith("mvn:io.kubesentry:kube-sentry-events:"));
        Map<String, Object> template = kamelet.get("spec", "template");
        assertThat(template).containsKey("from");
        String from = kamelet.get("spec", "template", "from", "uri");
        String yaml = SERIALIZATION.asYaml(template);
        if (TYPES.get(name).equals("source")) {
            assertThat(from).doesNotStartWith("kamelet:");
            assertThat(yaml).contains("kamelet:sink");
        } else {
            assertThat(from).isEqualTo("kamelet:source");
            assertThat(yaml).doesNotContain("kamelet:sink");
        }
    }

    @Test
    @DisplayName("declare the properties the brief promises, with their defaults")
    void properties() throws IOException {
        assertThat((Object) kamelet("kube-critical-events-source")
                .get("spec", "definition", "properties", "masterUrl", "default")).isEqualTo("local");
        assertThat((Object) kamelet("sentry-issue-sink")
                .get("spec", "definition", "properties", "thresholdWindowMillis", "default")).isEqualTo(3600000);
    }

    @Test
    @DisplayName("name only beans KubeSentryConfiguration binds, and only beans the shipped routes name too")
    void beansAreBound() throws Exception {
        // Given
        Set<String> named = new TreeSet<>();
        for (String name : TYPES.keySet()) {
            BeanRefs.collect(kamelet(name).get("spec", "template"), named);
        }
        Set<String> shipped = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                BeanRefs.collect(SERIALIZATION.unmarshal(Files.readString(file), Object.class), shipped);
            }
        }

        // When: the jar's beans, as a camel-main or Camel K application binds them (no cluster needed here)
        Settings settings = SettingsParser.parse(Map.of());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            new KubeSentryConfiguration(settings, Optional.empty(),
                    new ConsoleSentryPublisher(new PrintStream(OutputStream.nullOutputStream())), Instant.now())
                    .configure(context);

            // Then
            assertThat(named).contains("mapEvent", "classifyEvent", "nameByRootCause", "isWatched",
                    "deliveredOccurrences", "deliveryKey", "resolveWorkload", "chooseSentryProject", "isIgnored",
                    "rememberForBreadcrumbs", "sendSentryLog", "countedObjectKey", "occurrenceTally", "thresholdGroups", "callerThread",
                    "isThresholdReached", "reportedIncidents", "incidentKey", "sendSentryIssue");
            assertThat(named).allSatisfy(bean ->
                    assertThat(context.getRegistry().lookupByName(bean)).as("bean %s", bean).isNotNull());
            assertThat(shipped).containsAll(named);
        }
    }

    @Test
    @DisplayName("are resources of the jar, under kamelets/ where camel-kamelet looks by default")
    void inTheJar() throws Exception {
        for (String name : TYPES.keySet()) {
            URL resource = getClass().getClassLoader().getResource("kamelets/" + name + ".kamelet.yaml");
            assertThat(resource).as(name).isNotNull();
            assertThat(Path.of(resource.toURI()).toString()).as("from the main resources, not the tests'")
                    .contains(Path.of("target", "classes", "kamelets").toString());
            assertThat(Files.readString(Path.of(resource.toURI()))).isEqualTo(
                    Files.readString(KAMELETS.resolve(name + ".kamelet.yaml")));
        }
    }

    @Test
    @DisplayName("the documented Camel K Pipe is the tested route, and its Java source binds the Kamelets' beans")
    void documentedPipe(@TempDir Path dir) throws Exception {
        // Given: the Pipe of docs/building-blocks.md "Kamelets and beans"
        GenericKubernetesResource pipe = documentedPipe();
        assertThat(pipe.getApiVersion()).isEqualTo("camel.apache.org/v1");
        assertThat(pipe.getKind()).isEqualTo("Pipe");
        String source = pipe.get("spec", "source", "ref", "name");
        List<Map<String, Object>> steps = pipe.get("spec", "steps");
        String sink = pipe.get("spec", "sink", "ref", "name");
        List<String> stepNames = steps.stream()
                .map(step -> (String) ((Map<?, ?>) step.get("ref")).get("name")).toList();

        // Then: its Kamelets exist with the types their places need, its properties are theirs
        assertThat(TYPES).containsEntry(source, "source").containsEntry(sink, "sink");
        assertThat(stepNames).allSatisfy(step -> assertThat(TYPES).containsKey(step));
        Map<String, Object> sinkProperties = pipe.get("spec", "sink", "properties");
        Map<String, Object> declared = kamelet(sink).get("spec", "definition", "properties");
        assertThat(declared).containsKeys(sinkProperties.keySet().toArray(String[]::new));

        // and what Camel K makes of it (source, steps, sink in order) is the route this test runs, the Pod-status
        // source joined in before the sinks
        List<Map<String, Object>> routes = SERIALIZATION.unmarshal(Files.readString(PIPE), List.class);
        List<Map<String, Object>> froms = routes.stream()
                .map(route -> (Map<String, Object>) ((Map<String, Object>) route.get("route")).get("from")).toList();
        List<String> tos = ((List<Map<String, Object>>) froms.get(0).get("steps")).stream()
                .map(step -> (String) step.get("to")).toList();
        assertThat(froms).extracting(from -> from.get("uri"))
                .contains("kamelet:" + source, "kamelet:kube-pod-status-source");
        List<String> expected = new ArrayList<>();
        stepNames.forEach(step -> expected.add("kamelet:" + step));
        expected.add("kamelet:" + sink);
        assertThat(tos).isEqualTo(expected);

        // and its Java source, compiled as Camel K compiles it, binds every bean the Kamelets name
        List<Map<String, Object>> sources = pipe.get("spec", "integration", "sources");
        Map<String, Object> java = sources.stream().filter(s -> String.valueOf(s.get("name")).endsWith(".java"))
                .findFirst().orElseThrow();
        String name = String.valueOf(java.get("name"));
        Path file = dir.resolve(name);
        Files.writeString(file, (String) java.get("content"), StandardCharsets.UTF_8);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-classpath", classpath,
                "-d", dir.toString(), file.toString());
        assertThat(compiled).as("javac %s", name).isZero();
        Set<String> named = new TreeSet<>();
        for (String kamelet : TYPES.keySet()) {
            BeanRefs.collect(kamelet(kamelet).get("spec", "template"), named);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
                DefaultCamelContext context = new DefaultCamelContext()) {
            Class<?> type = loader.loadClass(name.replace(".java", ""));
            context.addRoutes((RoutesBuilder) type.getDeclaredConstructor().newInstance());
            assertThat(named).allSatisfy(bean ->
                    assertThat(context.getRegistry().lookupByName(bean)).as("bean %s", bean).isNotNull());
            context.getRegistry().findByType(KubernetesClient.class).forEach(KubernetesClient::close);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** As RunningAgent starts the shipped routes, with the Pipe in their place. */
    private void startPipe(Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put(SettingsParser.SENTRY_DSN, sentry.dsn());
        environment.putIfAbsent(SettingsParser.SENTRY_ENVIRONMENT, "test");
        environment.putIfAbsent(SettingsParser.HTTP_PORT, "0");
        Settings settings = SettingsParser.parse(environment);
        publisher = ProjectsPublisher.of(settings, new SdkSentryPublisher(settings.sentryDsn().orElseThrow(),
                        settings.environment(), "kube-sentry-events@test"),
                dsn -> new SdkSentryPublisher(dsn, settings.environment(), "kube-sentry-events@test"));
        application = KubeSentryApplication.create(
                new KubeSentryConfiguration(settings, Optional.of(cluster.client()), publisher, Instant.now()),
                "file:" + PIPE.toAbsolutePath()).start();
        // events written before the watch is up would be seen only in their last state
        WatchStatus status = application.main().getCamelContext().getRegistry()
                .lookupByNameAndType("watchStatus", WatchStatus.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> !status.states().isEmpty()
                && status.states().values().stream().allMatch(WatchStatus.State::up));
        assertThat(status.states()).as("the sources' watches: Events and Pods").hasSize(2);
    }

    private void awaitLogs(int count) {
        await().atMost(ARRIVAL).until(() -> {
            publisher.flush(Duration.ofSeconds(5));
            return sentry.logs().size() >= count;
        });
        assertThat(sentry.logs()).hasSize(count);
    }

    /** The first yaml block of docs/building-blocks.md that is a Pipe. */
    static GenericKubernetesResource documentedPipe() throws IOException {
        String page = Files.readString(Path.of("docs", "building-blocks.md"), StandardCharsets.UTF_8);
        Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (blocks.find()) {
            if (blocks.group(1).contains("kind: Pipe")) {
                return (GenericKubernetesResource) SERIALIZATION.unmarshal(blocks.group(1));
            }
        }
        throw new AssertionError("docs/building-blocks.md shows no Pipe");
    }

    static GenericKubernetesResource kamelet(String name) throws IOException {
        String yaml = Files.readString(KAMELETS.resolve(name + ".kamelet.yaml"), StandardCharsets.UTF_8);
        Object parsed = SERIALIZATION.unmarshal(yaml);
        assertThat(parsed).as(name).isInstanceOf(GenericKubernetesResource.class);
        return (GenericKubernetesResource) parsed;
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
