package io.kubesentry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubesentry.bench.SentryArrivals.Arrival;
import io.kubesentry.support.ApiRequestCounter;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.SentryRecorder;
import io.kubesentry.threshold.Thresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The storm and start-up benchmark (issue 5, "Scale"). Runs the packaged jar as a process with the shipped
 * JVM flags and class archive ({@link ShippedJvm}) against the fabric8 mock API server and a recording Sentry,
 * both on 127.0.0.1, and prints a table of what it measured next to the targets.
 *
 * <pre>mvn -B -q -Pbench verify</pre>
 *
 * builds the jar, runs no tests and runs this (docs/performance.md); by hand, after {@code mvn package}:
 * {@code java -cp <test classpath> io.kubesentry.bench.StormBenchmark target/kube-sentry-events.jar target/bench}.
 *
 * <ul>
 * <li><b>start-up</b>: 50,000 Events stored before start, all last seen 1 to 60 minutes earlier, served page
 * by page to the agent's list ({@link StoredEventsApi}); time from process start until its Events watch
 * request reaches the API server, and until a marker Event written once the watch is up is an issue in
 * Sentry. No issue may come from the stored Events.</li>
 * <li><b>storm</b>: 20 Deployments (ReplicaSets, 10 Pods each, controller owner references) in 4 namespaces;
 * then 5,000 occurrences, 25 per pod (BackOff x10, Unhealthy x10, FailedScheduling x5: one Event object per
 * pod and reason, created, then updated with a growing {@code deprecatedCount}) written by {@link #WRITERS}
 * threads as fast as the mock API accepts them. Then the same again while the agent is paused, to measure
 * what it drains with the machine to itself ({@link #burst}).</li>
 * </ul>
 * Not a test: nothing here runs in {@code mvn verify}.
 */
public final class StormBenchmark {

    static final String[] DEPLOYMENTS = {"api", "web", "cart", "checkout", "payments", "search", "catalog",
        "users", "auth", "orders", "shipping", "inventory", "reviews", "recommendations", "notifications",
        "email", "gateway", "billing", "reports", "frontend"};
    static final String[] NAMESPACES = {"shop", "money", "identity", "platform"};
    static final int PODS_PER_DEPLOYMENT = 10;
    /** Occurrences per pod and reason: one Event object each, its count going 1..n. 25 per pod, 5,000 in all. */
    static final Map<String, Integer> OCCURRENCES_PER_POD = orderedMap(
            "BackOff", 10, "Unhealthy", 10, "FailedScheduling", 5);
    static final int EXISTING_EVENTS = Integer.getInteger("bench.existing-events", 50_000);
    static final int WRITERS = Integer.getInteger("bench.writers", 8);
    /**
     * How the storm's Events are written: {@code direct} (the default: into {@link StormEventsApi} from this
     * process), {@code http} (to StormEventsApi through the fabric8 client) or {@code crud} (through the client
     * to the mock's CRUD store, as in tables before 2026-12-01). The agent watches the mock API server in all three.
     */
    static final String EVENTS_API = System.getProperty("bench.events-api", "direct");
    /**
     * The benchmark's own watch on Events, to tell the mock API's delivery delay from the agent's. Off by default
     * with {@code direct} writes, which the server sends as it stores them: there the watch would only measure
     * this process's client, and take CPU from the agent.
     */
    static final boolean PROBE_WATCH = Boolean.parseBoolean(System.getProperty("bench.probe-watch",
            Boolean.toString(!EVENTS_API.equals("direct"))));
    /**
     * Diagnosis only: occurrences written before the storm, about pods of a Deployment of their own in a
     * namespace of their own, so that the storm meets code the JIT has compiled ({@code -Dbench.warm-up=2000});
     * what they send is left out of the storm's figures, and the table names the warm-up.
     */
    static final int WARM_UP = Integer.getInteger("bench.warm-up", 0);
    private static final String WARM_UP_NAMESPACE = "warm-up";
    private static final int WARM_UP_PODS = 20;
    static final long BUDGET_MINUTES = 5;

    static final long TARGET_THROUGHPUT = 5_000;
    static final long TARGET_ISSUE_P99_MILLIS = 1_000;
    static final long TARGET_PEAK_RSS_MIB = 128;
    static final long TARGET_STARTUP_MILLIS = 2_000;

    private static final String REPLICA_SET_HASH = "7d9f8b6c5";
    private static final String POD_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    /** The kind of thread ({@link AgentProcess#threadCpuMillis}) that reads the watches and runs the routes. */
    private static final String WATCH_THREADS = "JdkHttpClientFa";
    private static final String MARKER_NAMESPACE = "startup";
    private static final String PROBE_NAMESPACE = "bench-probe";
    private static final String PROBE_NAME = "probe";
    private static final String MARKER_POD = "marker-" + REPLICA_SET_HASH + "-m4rkr";

    /** The mock web server logs every request at INFO through java.util.logging: 60,000 lines, and slow. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private StormBenchmark() {
    }

    record StormPod(String namespace, String deployment, String name) {
    }

    /** When one occurrence was written: the benchmark's monotonic clock and the wall clock (for SDK timestamps). */
    record Write(long nanos, long epochMillis) {
    }

    record Startup(int existingEvents, int listedEvents, int listRequests, String listLimits,
            Map<String, Long> requests, long fillMillis, long routesStartedMillis, long watchingLoggedMillis,
            long watchRequestMillis, long markerInSentryMillis, long markerCapturedMillis, long markerLatencyMillis,
            int issues, int markerIssues, int logs, long peakRssKiB, long maxSampledRssKiB, long cpuMillis,
            String failure) {
    }

    record Storm(int occurrences, int pods, int deployments, long writeMillis, long firstWriteToLastLogMillis,
            long firstWriteToLastLogCallMillis, long lastWriteToLastLogCallMillis, long firstWriteToLastIssueMillis,
            int expectedIssues, int issues, int distinctIssueFingerprints, int unexpectedIssues, int expectedLogs,
            int logs, int distinctLogs, List<Long> issueLatencies, List<Long> issueCaptureLatencies,
            List<Long> logLatencies, List<Long> logCaptureLatencies, Map<String, Long> requests, long idleRssKiB,
            long peakRssKiB, long maxSampledRssKiB, long agentCpuMillis, long benchCpuMillis,
            long skippedWarnings, String failure, List<Long> deliveryLatencies, double eventsReceived,
            double logsHandedToSdk, double logsDroppedBySdk, Burst burst, List<Long> getLatencyMicros,
            long otherCpuMillis, Map<String, Long> threadCpuMillis) {
    }

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(BUDGET_MINUTES));
                System.err.println("benchmark: over its " + BUDGET_MINUTES + " minute budget, stopping");
                AgentProcess.killAll();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // done in time
            }
        }, "budget");
        watchdog.setDaemon(true);
        watchdog.start();
        Runtime.getRuntime().addShutdownHook(new Thread(AgentProcess::killAll, "stop-agents"));

        Path source = Path.of(args.length > 0 ? args[0] : "target/kube-sentry-events.jar");
        if (!Files.isRegularFile(source)) {
            System.err.println("benchmark: no jar at " + source + "; run mvn -B -q -Pbench verify");
            System.exit(2);
        }
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench");
        Files.createDirectories(work);
        // a copy: another build replacing target/*.jar must not pull the jar from under a running process
        Path jar = Files.copy(source, work.resolve("kube-sentry-events.jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES);

        long began = System.nanoTime();
        String loadBefore = loadAverage();
        say("benchmark: jar %s (%d MB), JVM flags %s", source, Files.size(jar) >> 20,
                String.join(" ", AgentProcess.jvmFlags(jar)));
        if (AgentProcess.CLASS_ARCHIVE) {
            long training = AgentProcess.train(jar, work.resolve("training"));
            say("benchmark: class archive %s trained as the image's build does, in %,d ms",
                    AgentProcess.archive(jar), training);
        }
        Startup startup = startup(jar, work.resolve("startup"));
        Storm storm = storm(jar, work.resolve("storm"));
        say("decode: two watch messages read %,d times each by each JSON mapping ...", 100_000);
        WatchDecoding.Results decoding = WatchDecoding.measure();
        String report = report(startup, storm, decoding, (System.nanoTime() - began) / 1_000_000_000L, loadBefore,
                loadAverage());
        System.out.println();
        System.out.println(report);
        Files.writeString(work.resolve("results.md"), report);
        say("benchmark: table written to %s; agent output in %s/*/agent.log", work.resolve("results.md"), work);
        System.exit(0); // the mock server's Vert.x threads are not daemons
    }

    // ---------------------------------------------------------------------------------------------------------
    // start-up into a cluster holding 50,000 Events

    static Startup startup(Path jar, Path dir) throws Exception {
        say("start-up: storing %,d Events last seen 1 to 60 minutes ago ...", EXISTING_EVENTS);
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                ApiRequestCounter api = new ApiRequestCounter(cluster.server())) {
            cluster.deployment(MARKER_NAMESPACE, "marker", "node-1", MARKER_POD);
            long fillStart = System.nanoTime();
            StoredEventsApi stored = StoredEventsApi.install(cluster.server(), oldEvents(cluster, EXISTING_EVENTS));
            long fillMillis = millis(System.nanoTime() - fillStart);
            var firstPage = cluster.client().events().v1().events().inAnyNamespace()
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(500L).build());
            if (firstPage.getItems().size() != Math.min(500, EXISTING_EVENTS)) {
                throw new IllegalStateException("benchmark: the stored Events are not served ("
                        + firstPage.getItems().size() + " in the first page)");
            }
            stored.resetCounts();
            say("start-up: %,d Events ready in %,d ms; starting the jar", EXISTING_EVENTS, fillMillis);
            api.settle();
            Map<String, Long> before = api.snapshot();

            try (SentryArrivals arrivals = new SentryArrivals(sentry)) {
                AgentProcess agent = AgentProcess.start(jar, cluster.client().getMasterUrl().toString(),
                        sentry.dsn(), dir);
                long start = agent.startNanos();
                long watchAt = -1;
                long markerWrite = -1;
                OptionalLong routesStarted = OptionalLong.empty();
                OptionalLong watchingLogged = OptionalLong.empty();
                Arrival marker = null;
                long cpu = -1;
                String failure = null;
                try {
                    await("the Events watch request", 30_000, agent, () -> api.firstSeen("WATCH events") > 0);
                    watchAt = api.firstSeen("WATCH events");
                    // written as soon as the watch is up: it reaches Sentry behind the 50,000 re-listed ADDED
                    markerWrite = System.nanoTime();
                    cluster.create(cluster.podEvent(MARKER_NAMESPACE, MARKER_POD, "FailedScheduling",
                            "0/3 nodes are available: 3 Insufficient memory.", 1, Instant.now()).build());
                    routesStarted = agent.awaitLine("Started watch-kubernetes-events", 30_000);
                    watchingLogged = agent.awaitLine("Watching events", 1_000);
                    await("the marker issue", 120_000, agent, () -> arrivals.issueCount() >= 1);
                    marker = arrivals.issues().get(0);
                    cpu = agent.cpuMillis();
                    await("the marker log", 15_000, agent, () -> arrivals.logCount() >= 1);
                    // the stored Events are read off the watch, and on a slow machine still after the marker
                    await("the stored Events read", 60_000, agent, () -> stored.itemsServed() >= EXISTING_EVENTS);
                    Thread.sleep(1_000); // anything else the re-list would (wrongly) send
                } catch (Stopped e) {
                    failure = e.getMessage();
                    say("start-up: %s", failure);
                }
                int markerIssues = (int) arrivals.issues().stream()
                        .filter(issue -> fingerprint(issue.payload()).startsWith(MARKER_NAMESPACE + "|"))
                        .count();
                long peak = agent.peakRssKiB();
                long sampled = agent.maxSampledRssKiB();
                if (cpu < 0) {
                    cpu = agent.cpuMillis();
                }
                agent.close();
                if (!arrivals.issues().isEmpty()) {
                    dump(dir, "sample-issue.json", arrivals.issues().get(0).payload());
                }
                if (!arrivals.logs().isEmpty()) {
                    dump(dir, "sample-log.json", arrivals.logs().get(0).payload());
                }
                long captured = marker == null ? -1 : sdkEpochMillis(marker.payload());
                api.settle();
                Map<String, Long> requests = ApiRequestCounter.difference(api.snapshot(), before);
                Startup result = new Startup(EXISTING_EVENTS, stored.itemsServed(), stored.listRequests(),
                        stored.limitsAsked(), requests, fillMillis,
                        routesStarted.isPresent() ? millis(routesStarted.getAsLong() - start) : -1,
                        watchingLogged.isPresent() ? millis(watchingLogged.getAsLong() - start) : -1,
                        watchAt > 0 ? millis(watchAt - start) : -1, marker == null ? -1 : millis(marker.nanos() - start),
                        captured > 0 ? captured - agent.startEpochMillis() : -1,
                        marker == null ? -1 : millis(marker.nanos() - markerWrite), arrivals.issueCount(),
                        markerIssues, arrivals.logCount(), peak, sampled, cpu, failure);
                say("start-up: watch after %,d ms, marker in Sentry after %,d ms, peak RSS %s",
                        result.watchRequestMillis(), result.markerInSentryMillis(), mib(Math.max(peak, sampled)));
                return result;
            }
        }
    }

    /** Events of many pods, reasons and namespaces, last seen 1 to 60 minutes ago: old news at start-up. */
    static List<Event> oldEvents(MockCluster cluster, int total) {
        String[] reasons = {"BackOff", "Unhealthy", "FailedScheduling", "FailedMount", "Failed", "Evicted"};
        String[] notes = {"Back-off restarting failed container app in pod", "Readiness probe failed: HTTP probe "
                + "failed with statuscode: 503", "0/3 nodes are available: 3 Insufficient memory.",
            "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found",
            "Failed to pull image \"registry.example/app:1.2.3\": not found",
            "The node was low on resource: memory."};
        Instant now = Instant.now();
        List<Event> events = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String namespace = NAMESPACES[i % NAMESPACES.length];
            String pod = DEPLOYMENTS[i % DEPLOYMENTS.length] + "-" + REPLICA_SET_HASH + "-" + podSuffix(i % 500);
            int reason = (i / 7) % reasons.length;
            Instant lastSeen = now.minusSeconds(60 + (i % 3_540));
            events.add(cluster.podEvent(namespace, pod, reasons[reason], notes[reason], 1 + i % 20, lastSeen)
                    .editMetadata().withName(pod + ".old" + i).endMetadata().build());
        }
        return events;
    }

    // ---------------------------------------------------------------------------------------------------------
    // storm: 5,000 occurrences across 200 pods of 20 Deployments

    static Storm storm(Path jar, Path dir) throws Exception {
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder();
                ApiRequestCounter api = new ApiRequestCounter(cluster.server())) {
            List<StormPod> pods = createDeployments(cluster);
            EventWrites eventWrites = EventWrites.of(EVENTS_API, cluster);
            List<StormPod> warmUpPods = new ArrayList<>();
            if (WARM_UP > 0) {
                for (int i = 0; i < WARM_UP_PODS; i++) {
                    warmUpPods.add(new StormPod(WARM_UP_NAMESPACE, "warm", "warm-" + REPLICA_SET_HASH + "-w" + podSuffix(i)));
                }
                cluster.deployment(WARM_UP_NAMESPACE, "warm", "node-1",
                        warmUpPods.stream().map(StormPod::name).toArray(String[]::new));
            }
            cluster.client().configMaps().inNamespace(PROBE_NAMESPACE).resource(
                    new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(PROBE_NAME)
                            .withNamespace(PROBE_NAMESPACE).endMetadata().addToData("probe", "x").build()).create();
            int perPod = OCCURRENCES_PER_POD.values().stream().mapToInt(Integer::intValue).sum();
            int occurrences = pods.size() * perPod;
            say("storm: %d Deployments, %d pods created; starting the jar", DEPLOYMENTS.length, pods.size());

            try (SentryArrivals arrivals = new SentryArrivals(sentry)) {
                AgentProcess agent = AgentProcess.start(jar, cluster.client().getMasterUrl().toString(),
                        sentry.dsn(), dir);
                try {
                    await("the Events and Pods watches", 30_000, agent,
                            () -> api.firstSeen("WATCH events") > 0 && api.firstSeen("WATCH pods") > 0);
                    agent.awaitLine("Started watch-kubernetes-events", 30_000);
                    Thread.sleep(2_000); // the Pods watch's ADDED re-list of the 200 pods, and a quiet agent
                    if (WARM_UP > 0) {
                        warmUp(cluster, eventWrites, warmUpPods, agent, arrivals);
                    }
                    api.settle();
                    Map<String, Long> before = api.snapshot();
                    long idleRss = agent.rssKiB();
                    long agentCpuBefore = agent.cpuMillis();
                    Map<String, Long> threadsBefore = agent.threadCpuMillis();
                    long benchCpuBefore = benchCpuMillis();
                    long machineCpuBefore = machineBusyMillis();

                    say("storm: writing %,d occurrences with %d writers ...", occurrences, WRITERS);
                    Map<String, Write> writes = new ConcurrentHashMap<>();
                    // a watch of the benchmark's own: when the mock API delivered each write to a watcher
                    Map<String, Long> delivered = new ConcurrentHashMap<>();
                    Watch probe = PROBE_WATCH ? cluster.client().events().v1().events().inAnyNamespace()
                            .watch(new Watcher<Event>() {
                                @Override
                                public void eventReceived(Action action, Event event) {
                                    delivered.putIfAbsent(String.join("|", event.getMetadata().getNamespace(),
                                            event.getRegarding().getName(), event.getReason(),
                                            String.valueOf(event.getDeprecatedCount())), System.nanoTime());
                                }

                                @Override
                                public void onClose(WatcherException cause) {
                                }
                            }) : null;
                    // how long a GET by name waits at the busy mock API: what each uncached owner lookup costs
                    // the agent's watch thread (a ConfigMap of a namespace of its own, which the agent never reads)
                    List<Long> getLatencies = new java.util.concurrent.CopyOnWriteArrayList<>();
                    java.util.concurrent.atomic.AtomicBoolean storming = new java.util.concurrent.atomic.AtomicBoolean(true);
                    Thread getProbe = new Thread(() -> {
                        while (storming.get()) {
                            long sent = System.nanoTime();
                            cluster.client().configMaps().inNamespace(PROBE_NAMESPACE).withName(PROBE_NAME).get();
                            getLatencies.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "get-probe");
                    long firstWrite = System.nanoTime();
                    long firstWriteEpoch = System.currentTimeMillis();
                    getProbe.start();
                    writeStorm(cluster, eventWrites, pods, writes, "");
                    storming.set(false);
                    long lastWrite = System.nanoTime();
                    long lastWriteEpoch = System.currentTimeMillis();
                    getProbe.join(5_000);
                    say("storm: written in %,d ms; waiting for Sentry", millis(lastWrite - firstWrite));

                    Map<String, Write> firstQualifying = firstQualifyingWrites(pods, writes);
                    int expectedIssues = firstQualifying.size();
                    // done when everything expected is in, or when nothing more arrived for 12 s (logs: 5 s batches).
                    // Nothing of the agent's is read meanwhile: a scrape of /observe/metrics every 50 ms took a
                    // tenth of its CPU while its code was cold, where Prometheus scrapes every 15 s or more.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (System.nanoTime() < deadline && agent.isAlive()) {
                        if (arrivals.logCount() >= occurrences && arrivals.issueCount() >= expectedIssues) {
                            break;
                        }
                        long last = Math.max(arrivals.lastArrival(), lastWrite);
                        if (System.nanoTime() - last > TimeUnit.SECONDS.toNanos(12)) {
                            break;
                        }
                        Thread.sleep(20);
                    }
                    if (probe != null) {
                        probe.close();
                    }
                    long agentCpu = agent.cpuMillis() - agentCpuBefore;
                    Map<String, Long> stormThreads = cpuSince(agent, threadsBefore);
                    long benchCpu = benchCpuMillis() - benchCpuBefore;
                    long otherCpu = machineBusyMillis() - machineCpuBefore - agentCpu - benchCpu;
                    Thread.sleep(6_000); // duplicates, if any, would come now (one more log batch interval)
                    api.settle();
                    Map<String, Long> requests = ApiRequestCounter.difference(api.snapshot(), before);
                    long peak = agent.peakRssKiB();
                    long sampled = agent.maxSampledRssKiB();
                    long skipped = agent.countLines("Skipped an event");
                    String failure = agent.death().map(death -> "the agent died during the storm (" + death + ")")
                            .orElse(null);

                    double received = agent.metric("kube_sentry_events_received_total", "watch=\"events\"");
                    double logsSent = agent.metric("kube_sentry_logs_sent_total", "");
                    double sdkDropped = agent.metric("kube_sentry_sentry_dropped_total", "category=\"log_item\"");
                    // what the storm delivered, before the burst's Sentry traffic joins it
                    List<Arrival> stormLogs = arrivals.logs();
                    List<Arrival> stormIssues = arrivals.issues();
                    Burst burst = failure == null ? burst(cluster, eventWrites, pods, agent, logsSent) : null;
                    if (burst != null) {
                        // every one of the burst's logs reaches Sentry too, after the drain
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                        while (arrivals.logCount() < stormLogs.size() + burst.occurrences() && System.nanoTime() < until) {
                            Thread.sleep(20);
                        }
                        burst = burst.arrived(arrivals.logCount() - stormLogs.size());
                    }

                    // logs: each matched to the write of its occurrence (namespace, pod, raw reason, count)
                    List<Long> logLatencies = new ArrayList<>();
                    List<Long> logCaptureLatencies = new ArrayList<>();
                    Set<String> distinctLogs = new HashSet<>();
                    long lastLog = -1;
                    long lastLogCall = -1; // the SDK's timestamp of the agent's last log call (epoch ms)
                    for (Arrival log : stormLogs) {
                        String key = String.join("|", SentryRecorder.attribute(log.payload(), "k8s.namespace"),
                                SentryRecorder.attribute(log.payload(), "k8s.pod"),
                                SentryRecorder.attribute(log.payload(), "k8s.event_reason"),
                                SentryRecorder.attribute(log.payload(), "k8s.event_count"));
                        Write written = writes.get(key);
                        if (written != null && distinctLogs.add(key)) {
                            logLatencies.add(millis(log.nanos() - written.nanos()));
                            lastLog = Math.max(lastLog, log.nanos());
                            long sdk = sdkEpochMillis(log.payload());
                            if (sdk > 0) {
                                logCaptureLatencies.add(sdk - written.epochMillis());
                                lastLogCall = Math.max(lastLogCall, sdk);
                            }
                        }
                    }
                    // issues: each matched to the first write that reached its fingerprint's threshold
                    List<Long> issueLatencies = new ArrayList<>();
                    List<Long> issueCaptureLatencies = new ArrayList<>();
                    Set<String> fingerprints = new HashSet<>();
                    int unexpected = 0;
                    long lastIssue = -1;
                    for (Arrival issue : stormIssues) {
                        String fingerprint = fingerprint(issue.payload());
                        Write written = firstQualifying.get(fingerprint);
                        if (written == null) {
                            unexpected++;
                            say("storm: unexpected issue %s", fingerprint);
                            continue;
                        }
                        if (fingerprints.add(fingerprint)) {
                            issueLatencies.add(millis(issue.nanos() - written.nanos()));
                            long sdk = sdkEpochMillis(issue.payload());
                            if (sdk > 0) {
                                issueCaptureLatencies.add(sdk - written.epochMillis());
                            }
                        }
                        lastIssue = Math.max(lastIssue, issue.nanos());
                    }
                    if (!stormIssues.isEmpty()) {
                        dump(dir, "sample-issue.json", stormIssues.get(0).payload());
                    }
                    if (!stormLogs.isEmpty()) {
                        dump(dir, "sample-log.json", stormLogs.get(0).payload());
                    }
                    List<Long> deliveryLatencies = new ArrayList<>();
                    writes.forEach((key, written) -> {
                        Long at = delivered.get(key);
                        if (at != null) {
                            deliveryLatencies.add(millis(at - written.nanos()));
                        }
                    });
                    timeline(dir.resolve("timeline.csv"), firstWrite, firstWriteEpoch, writes, delivered, stormLogs);
                    return new Storm(occurrences, pods.size(), DEPLOYMENTS.length, millis(lastWrite - firstWrite),
                            lastLog > 0 ? millis(lastLog - firstWrite) : -1,
                            lastLogCall > 0 ? lastLogCall - firstWriteEpoch : -1,
                            lastLogCall > 0 ? lastLogCall - lastWriteEpoch : -1,
                            lastIssue > 0 ? millis(lastIssue - firstWrite) : -1,
                            expectedIssues, stormIssues.size(), fingerprints.size(), unexpected,
                            occurrences, stormLogs.size(), distinctLogs.size(), issueLatencies,
                            issueCaptureLatencies, logLatencies, logCaptureLatencies, requests, idleRss, peak,
                            sampled, agentCpu, benchCpu, skipped, failure, deliveryLatencies, received, logsSent,
                            sdkDropped, burst, getLatencies, otherCpu, stormThreads);
                } finally {
                    agent.close();
                }
            }
        }
    }

    /** The agent's pace when the CPU is its own: a backlog written while it was paused, then released. */
    record Burst(int occurrences, long drainMillis, long cpuMillis, long otherCpuMillis, long writeMillis,
            long peakRssKiB, Map<String, Long> threadCpuMillis, String note, int logsArrived) {

        Burst arrived(int logs) {
            return new Burst(occurrences, drainMillis, cpuMillis, otherCpuMillis, writeMillis, peakRssKiB,
                    threadCpuMillis, note, logs);
        }
    }

    /** Each kind of thread's CPU and its share of the wall time, busiest first. */
    private static String threadShares(Map<String, Long> threadCpuMillis, long wallMillis) {
        return threadCpuMillis.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
                .map(e -> String.format("%s %,d (%.0f%%)", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, wallMillis)))
                .reduce((a, b) -> a + "; " + b).orElse("");
    }

    /** CPU per kind of the agent's threads since {@code before}, the idle kinds left out. */
    private static Map<String, Long> cpuSince(AgentProcess agent, Map<String, Long> before) {
        Map<String, Long> threads = new java.util.TreeMap<>(agent.threadCpuMillis());
        threads.replaceAll((kind, millis) -> millis - before.getOrDefault(kind, 0L));
        threads.values().removeIf(millis -> millis <= 0);
        return threads;
    }

    /**
     * The storm once more (new Event objects, same pods), written while the agent is stopped (SIGSTOP): the
     * mock API queues the watch deliveries. Then the agent is continued (SIGCONT) and has both cores to itself;
     * done when its own counter of logs handed to the SDK has grown by the number of occurrences (the recorder
     * cannot tell: logs leave the SDK in batches, after the agent is done with them). Warm: owner lookups cached.
     */
    static Burst burst(MockCluster cluster, EventWrites eventWrites, List<StormPod> pods, AgentProcess agent,
            double logsBefore)
            throws Exception {
        int occurrences = pods.size() * OCCURRENCES_PER_POD.values().stream().mapToInt(Integer::intValue).sum();
        if (logsBefore < 0) {
            return new Burst(occurrences, -1, -1, -1, -1, -1, Map.of(), "the agent has no kube_sentry_logs_sent_total meter", -1);
        }
        say("burst: writing %,d more occurrences while the agent is paused ...", occurrences);
        agent.pause();
        long written;
        try {
            long start = System.nanoTime();
            writeStorm(cluster, eventWrites, pods, new ConcurrentHashMap<>(), ".burst");
            written = millis(System.nanoTime() - start);
            Thread.sleep(500); // the mock has sent (queued) the last deliveries
        } finally {
            agent.resume();
        }
        long resumed = System.nanoTime();
        Map<String, Long> threadsBefore = agent.threadCpuMillis();
        long cpuBefore = agent.cpuMillis();
        long machineBefore = machineBusyMillis();
        long benchBefore = benchCpuMillis();
        long deadline = resumed + TimeUnit.SECONDS.toNanos(60);
        double sent = logsBefore;
        while (System.nanoTime() < deadline && agent.isAlive()) {
            sent = agent.metric("kube_sentry_logs_sent_total", "");
            if (sent >= logsBefore + occurrences) {
                long drain = millis(System.nanoTime() - resumed);
                long cpu = agent.cpuMillis() - cpuBefore;
                long other = machineBusyMillis() - machineBefore - cpu - (benchCpuMillis() - benchBefore);
                say("burst: drained in %,d ms", drain);
                return new Burst(occurrences, drain, cpu, other, written, agent.peakRssKiB(),
                        cpuSince(agent, threadsBefore), null, -1);
            }
            Thread.sleep(20);
        }
        return new Burst(occurrences, -1, agent.cpuMillis() - cpuBefore, -1, written, agent.peakRssKiB(), Map.of(), String.format(
                "only %,.0f of %,d logs handed to the SDK after 60 s", sent - logsBefore, occurrences), -1);
    }

    /** Writes {@link #WARM_UP} BackOff occurrences, waits until the agent handed their logs to the SDK and they
     * arrived, then forgets them. */
    static void warmUp(MockCluster cluster, EventWrites eventWrites, List<StormPod> pods, AgentProcess agent,
            SentryArrivals arrivals) throws Exception {
        say("storm: warming the agent up with %,d occurrences (diagnosis) ...", WARM_UP);
        Map<String, Event> current = new HashMap<>();
        for (int i = 0; i < WARM_UP; i++) {
            StormPod pod = pods.get(i % pods.size());
            Event event = current.get(pod.name());
            Instant now = Instant.now();
            if (event == null) {
                event = eventWrites.create(stormEvent(cluster, pod, "BackOff", now, ".warm-up"));
            } else {
                event.setDeprecatedCount(event.getDeprecatedCount() + 1);
                event.setDeprecatedLastTimestamp(MockCluster.timestamp(now));
                event = eventWrites.update(event);
            }
            current.put(pod.name(), event);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && agent.metric("kube_sentry_logs_sent_total", "") < WARM_UP) {
            Thread.sleep(50);
        }
        Thread.sleep(1_500); // the last log batch reaches the recorder
        arrivals.clear();
    }

    /** 20 Deployments in 4 namespaces, each with its ReplicaSet and 10 pods (controller owner references). */
    static List<StormPod> createDeployments(MockCluster cluster) {
        List<StormPod> pods = new ArrayList<>();
        for (int d = 0; d < DEPLOYMENTS.length; d++) {
            String namespace = NAMESPACES[d % NAMESPACES.length];
            String[] names = new String[PODS_PER_DEPLOYMENT];
            for (int p = 0; p < PODS_PER_DEPLOYMENT; p++) {
                names[p] = DEPLOYMENTS[d] + "-" + REPLICA_SET_HASH + "-" + podSuffix(d * PODS_PER_DEPLOYMENT + p);
                pods.add(new StormPod(namespace, DEPLOYMENTS[d], names[p]));
            }
            cluster.deployment(namespace, DEPLOYMENTS[d], "node-" + (1 + d % 4), names);
        }
        return pods;
    }

    /**
     * Each writer takes every WRITERS-th pod and goes round by round: in round r every one of its pods' Event
     * objects with more than r occurrences is created (r = 0) or updated to count r + 1, so the storm
     * interleaves all pods and reasons. The time each write was sent is kept by (namespace, pod, reason, count).
     */
    static void writeStorm(MockCluster cluster, EventWrites eventWrites, List<StormPod> pods,
            Map<String, Write> writes, String suffix) throws Exception {
        int rounds = OCCURRENCES_PER_POD.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int worker = 0; worker < WRITERS; worker++) {
                int first = worker;
                jobs.add(pool.submit(() -> {
                    Map<String, Event> current = new HashMap<>();
                    for (int round = 0; round < rounds; round++) {
                        for (int p = first; p < pods.size(); p += WRITERS) {
                            StormPod pod = pods.get(p);
                            for (Map.Entry<String, Integer> reason : OCCURRENCES_PER_POD.entrySet()) {
                                if (round >= reason.getValue()) {
                                    continue;
                                }
                                int count = round + 1;
                                String key = String.join("|", pod.namespace(), pod.name(), reason.getKey(),
                                        Integer.toString(count));
                                Instant now = Instant.now();
                                Write sent = new Write(System.nanoTime(), now.toEpochMilli());
                                Event written;
                                if (round == 0) {
                                    written = eventWrites.create(stormEvent(cluster, pod, reason.getKey(), now, suffix));
                                } else {
                                    Event event = current.get(pod.name() + "|" + reason.getKey());
                                    event.setDeprecatedCount(count);
                                    event.setDeprecatedLastTimestamp(MockCluster.timestamp(now));
                                    written = eventWrites.update(event);
                                }
                                writes.put(key, sent);
                                current.put(pod.name() + "|" + reason.getKey(), written);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The kubelet's (or the scheduler's) first Event of this reason about the pod. */
    static Event stormEvent(MockCluster cluster, StormPod pod, String reason, Instant now, String suffix) {
        String note = switch (reason) {
            case "BackOff" -> "Back-off restarting failed container app in pod " + pod.name() + "_"
                    + pod.namespace();
            case "Unhealthy" -> "Readiness probe failed: HTTP probe failed with statuscode: 503";
            default -> "0/4 nodes are available: 4 Insufficient memory. preemption: 0/4 nodes are available: "
                    + "4 No preemption victims found for incoming pod.";
        };
        var builder = cluster.podEvent(pod.namespace(), pod.name(), reason, note, 1, now)
                .editMetadata().withName(pod.name() + "." + reason.toLowerCase(Locale.ROOT) + suffix).endMetadata();
        if (reason.equals("FailedScheduling")) {
            builder.editRegarding().withFieldPath(null).endRegarding()
                    .withReportingController("default-scheduler").withReportingInstance("default-scheduler")
                    .withAction("Scheduling");
        }
        return builder.build();
    }

    /**
     * Per fingerprint [namespace, Deployment/name, reason]: when the first write went out whose count reached
     * the reason's threshold (the write that should raise the issue).
     */
    static Map<String, Write> firstQualifyingWrites(List<StormPod> pods, Map<String, Write> writes) {
        Thresholds thresholds = Thresholds.defaults();
        Map<String, Write> first = new HashMap<>();
        for (StormPod pod : pods) {
            for (Map.Entry<String, Integer> reason : OCCURRENCES_PER_POD.entrySet()) {
                int threshold = thresholds.of(reason.getKey());
                // a crash loop's BackOff proves one restart, whatever its count: alone it never reaches 3
                if (threshold > reason.getValue() || reason.getKey().equals("BackOff")) {
                    continue;
                }
                Write written = writes.get(String.join("|", pod.namespace(), pod.name(), reason.getKey(),
                        Integer.toString(threshold)));
                if (written != null) {
                    first.merge(String.join("|", pod.namespace(), "Deployment/" + pod.deployment(),
                            reason.getKey()), written, (a, b) -> a.nanos() <= b.nanos() ? a : b);
                }
            }
        }
        return first;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the table

    /** KiB against the MiB target: 128.5 MiB is over 128 (a shift would round it down to 128). */
    static boolean withinRssTarget(long kib) {
        return kib <= TARGET_PEAK_RSS_MIB * 1024;
    }

    static String report(Startup startup, Storm storm, WatchDecoding.Results decoding, long seconds, String loadBefore,
            String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append("kube-sentry-events benchmark, ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(seconds).append(" s in all; ")
                .append("load average before / after: ").append(loadBefore).append(" / ").append(loadAfter)
                .append("\n");
        out.append("agent JVM flags: ").append(String.join(" ", AgentProcess.CLASS_ARCHIVE
                ? ShippedJvm.running(Path.of(ShippedJvm.ARCHIVE)) : ShippedJvm.FLAGS));
        out.append(AgentProcess.CLASS_ARCHIVE ? " (trained as the Dockerfile does: ArchiveTraining, the jar against a "
                + "mock API and a recording Sentry)" : " **without the image's class archive (diagnosis)**");
        if (WARM_UP > 0) {
            out.append(" **after a warm-up of ").append(String.format("%,d", WARM_UP))
                    .append(" occurrences before the storm (diagnosis)**");
        }
        ShippedJvm.ENVIRONMENT.forEach((name, value) -> out.append("; ").append(name).append('=').append(value));
        if (!AgentProcess.EXTRA_JVM_FLAGS.isEmpty()) {
            out.append(" **plus, for diagnosis, not shipped: ").append(String.join(" ", AgentProcess.EXTRA_JVM_FLAGS))
                    .append("**");
        }
        out.append("\n\n");
        out.append("| Scenario | Measure | Measured | Target | |\n");
        out.append("| --- | --- | --- | --- | --- |\n");

        String storm5000 = String.format("%,d", storm.occurrences());
        row(out, "storm", String.format("load: %s occurrences, %d pods of %d Deployments, %d fingerprints, "
                + "written by %d threads", storm5000, storm.pods(), storm.deployments(), storm.expectedIssues(),
                WRITERS), String.format("%,d ms: %,.0f/s accepted by the mock API (Events: %s)", storm.writeMillis(),
                rate(storm.occurrences(), storm.writeMillis()), EventWrites.describe(EVENTS_API)), "", "");
        double throughput = rate(storm.distinctLogs(), storm.firstWriteToLastLogMillis());
        row(out, "storm", "throughput end to end: first write to the last Sentry log received (logs go out "
                + "100 at a time, the rest once 100 ms pass without a new one)", String.format("%,.0f occurrences/s (%,d logs in %,d ms)", throughput,
                storm.distinctLogs(), storm.firstWriteToLastLogMillis()),
                String.format("≥ %,d/s", TARGET_THROUGHPUT), throughput >= TARGET_THROUGHPUT ? "PASS" : "MISS");
        row(out, "storm", "agent pace: first write until the agent's last log call (the SDK's timestamp in "
                + "the last log; the benchmark reads none of the agent's metrics during the storm)", storm.firstWriteToLastLogCallMillis() < 0 ? "n/a"
                : String.format("%,.0f occurrences/s (%,d ms; %,d ms after the last write)",
                rate(storm.occurrences(), storm.firstWriteToLastLogCallMillis()), storm.firstWriteToLastLogCallMillis(),
                storm.lastWriteToLastLogCallMillis()), "", "");
        Burst burst = storm.burst();
        if (burst != null) {
            double capacity = rate(burst.occurrences(), burst.drainMillis());
            row(out, "storm", String.format("agent capacity: %,d more occurrences written while the agent was "
                    + "paused (SIGSTOP; %,d ms), then drained with both cores to itself, warm", burst.occurrences(),
                    burst.writeMillis()), burst.note() != null ? burst.note() : String.format("%,.0f occurrences/s "
                    + "(%,d ms; agent CPU %,.2f ms per occurrence; other processes' CPU meanwhile %,.1f s; VmHWM "
                    + "after it %s; its logs at the recorder: %,d)", capacity, burst.drainMillis(),
                    burst.cpuMillis() / (double) burst.occurrences(), Math.max(0, burst.otherCpuMillis()) / 1000.0,
                    mib(burst.peakRssKiB()), burst.logsArrived()), String.format("≥ %,d/s", TARGET_THROUGHPUT),
                    burst.note() == null && capacity >= TARGET_THROUGHPUT ? "PASS" : "MISS");
            if (!burst.threadCpuMillis().isEmpty()) {
                row(out, "storm", "where the agent's CPU went while it drained, per kind of thread (ms; share of the "
                        + "drain's wall time): JdkHttpClientFactory reads the watch, decodes each message and runs the "
                        + "routes on it (InlineDeliveries); VM Thread is the GC",
                        threadShares(burst.threadCpuMillis(), burst.drainMillis()), "", "");
                long routes = burst.threadCpuMillis().getOrDefault(WATCH_THREADS, 0L);
                if (routes > 0) {
                    double perOccurrence = routes / (double) burst.occurrences();
                    row(out, "storm", "the watch's thread alone (read, decode, routes): its CPU per occurrence during "
                            + "the drain, and the rate that allows if nothing else needed the core",
                            String.format("%.2f ms: %,.0f occurrences/s", perOccurrence, 1000 / perOccurrence), "", "");
                }
            }
        }
        long issueP99 = percentile(storm.issueLatencies(), 99);
        row(out, "storm", "issue latency p50 / p99: write of the first occurrence at threshold to its envelope "
                + "at the recorder (n=" + storm.issueLatencies().size() + ")",
                p50p99(storm.issueLatencies()), "p99 < " + String.format("%,d", TARGET_ISSUE_P99_MILLIS) + " ms",
                !storm.issueLatencies().isEmpty() && issueP99 < TARGET_ISSUE_P99_MILLIS ? "PASS" : "MISS");
        row(out, "storm", "of which write to the agent's capture call (SDK event timestamp)",
                p50p99(storm.issueCaptureLatencies()), "", "");
        if (!storm.deliveryLatencies().isEmpty()) {
            row(out, "storm", "of which write to the mock API's watch delivery (a watch of the benchmark's own, n="
                    + storm.deliveryLatencies().size() + ")", p50p99(storm.deliveryLatencies()), "", "");
        }
        row(out, "storm", "log latency p50 / p99: write to envelope (n=" + storm.logLatencies().size() + "); "
                + "write to the agent's log call", p50p99(storm.logLatencies()) + "; "
                + p50p99(storm.logCaptureLatencies()), "", "");
        boolean issuesOk = storm.issues() == storm.expectedIssues()
                && storm.distinctIssueFingerprints() == storm.expectedIssues() && storm.unexpectedIssues() == 0;
        row(out, "storm", "issues sent: one per fingerprint [namespace, Deployment, reason] per window",
                storm.issues() + " (" + storm.distinctIssueFingerprints() + " fingerprints, "
                        + storm.unexpectedIssues() + " unexpected; last " + String.format("%,d",
                        storm.firstWriteToLastIssueMillis()) + " ms after the first write)",
                "= " + storm.expectedIssues(), issuesOk ? "OK" : "FAIL");
        boolean logsOk = storm.logs() == storm.expectedLogs() && storm.distinctLogs() == storm.expectedLogs();
        row(out, "storm", "agent's own counters (/observe/metrics): Events received; logs handed to the SDK; "
                + "logs the SDK dropped (queue_overflow)", count(storm.eventsReceived()) + "; "
                + count(storm.logsHandedToSdk()) + "; " + count(storm.logsDroppedBySdk()), "", "");
        row(out, "storm", "logs delivered: one per occurrence passing the filter (all do)",
                String.format("%,d (%,d distinct; %,d missing)", storm.logs(), storm.distinctLogs(),
                        storm.expectedLogs() - storm.distinctLogs()), String.format("= %,d", storm.expectedLogs()),
                logsOk ? "OK" : "FAIL");
        row(out, "storm", "peak RSS of the jar: VmHWM (highest VmRSS sampled every 50 ms; VmRSS idle before the "
                + "storm)", mib(storm.peakRssKiB()) + " (" + mib(storm.maxSampledRssKiB()) + "; idle "
                + mib(storm.idleRssKiB()) + ")", "≤ " + TARGET_PEAK_RSS_MIB + " MiB",
                withinRssTarget(Math.max(storm.peakRssKiB(), storm.maxSampledRssKiB())) ? "PASS" : "MISS");
        row(out, "storm", "CPU from the first write until everything arrived: agent (per occurrence); benchmark "
                + "(mock API, writers, recorder); other processes on the machine", String.format("%,.1f s (%,.2f ms);"
                + " %,.1f s; %,.1f s (%d cores)", storm.agentCpuMillis() / 1000.0, storm.agentCpuMillis()
                / (double) storm.occurrences(), storm.benchCpuMillis() / 1000.0, Math.max(0, storm.otherCpuMillis())
                / 1000.0, Runtime.getRuntime().availableProcessors()), "", "");
        if (!storm.threadCpuMillis().isEmpty()) {
            row(out, "storm", "where the agent's CPU went during the storm, per kind of thread (ms; share of the "
                    + "time from the first write to the last log received): C1 CompilerThread compiles the code the "
                    + "storm is the first to run", threadShares(storm.threadCpuMillis(),
                    storm.firstWriteToLastLogMillis()), "", "");
        }
        long lookups = storm.requests().getOrDefault("GET pods/{name}", 0L)
                + storm.requests().getOrDefault("GET replicasets/{name}", 0L);
        long total = storm.requests().values().stream().mapToLong(Long::longValue).sum();
        long benchWrites = storm.requests().getOrDefault("POST events", 0L)
                + storm.requests().getOrDefault("PUT events/{name}", 0L);
        // the benchmark's probes, counted exactly: its GETs of a ConfigMap and its own Events watch
        long probes = storm.getLatencyMicros().size() + (PROBE_WATCH ? 1 : 0);
        long agentRequests = total - benchWrites - probes;
        row(out, "storm", "API requests during the storm", String.format("%,d: %,d Event writes and %,d probes by "
                + "the benchmark; %,d by the agent (%.3f per occurrence)", total, benchWrites, probes, agentRequests,
                agentRequests / (double) storm.occurrences()), "", "");
        int lookupLimit = storm.pods() + storm.deployments();
        row(out, "storm", "agent owner lookups: GET pods/{name} + GET replicasets/{name}", String.format("%,d "
                + "(%d + %d): %.3f per occurrence", lookups, storm.requests().getOrDefault("GET pods/{name}", 0L),
                storm.requests().getOrDefault("GET replicasets/{name}", 0L), lookups / (double) storm.occurrences()),
                "≤ " + lookupLimit + ", one per pod and ReplicaSet", lookups <= lookupLimit ? "OK" : "FAIL");
        row(out, "storm", "API requests by kind (GET configmaps/{name} and one WATCH events: the benchmark's "
                + "probes)",
                byKind(storm.requests()), "", "");
        if (!storm.getLatencyMicros().isEmpty()) {
            row(out, "storm", "a GET by name at the mock API during the writes, p50 / p99 (the benchmark's probe "
                    + "every 50 ms, n=" + storm.getLatencyMicros().size() + "): what each uncached owner lookup "
                    + "holds up the agent's watch thread", String.format("%,.1f / %,.1f ms",
                    percentile(storm.getLatencyMicros(), 50) / 1000.0,
                    percentile(storm.getLatencyMicros(), 99) / 1000.0), "", "");
        }
        if (storm.failure() != null) {
            row(out, "storm", "agent process", storm.failure(), "runs", "FAIL");
        }
        if (storm.skippedWarnings() > 0) {
            row(out, "storm", "occurrences the agent skipped (\"Skipped an event\" warnings)",
                    Long.toString(storm.skippedWarnings()), "0", "FAIL");
        }

        String target = String.format("< %,d ms", TARGET_STARTUP_MILLIS);
        row(out, "start-up", "Events stored before start, all last seen 1 to 60 minutes earlier; what the agent "
                + "read of them (it watches from the current resourceVersion first, then reads what is stored off "
                + "the watch thread and drops what is older than start-up before the routes)",
                String.format("%,d; read %,d in %,d requests (limit %s)", startup.existingEvents(),
                startup.listedEvents(), startup.listRequests(), startup.listLimits()), "", "");
        row(out, "start-up", "process start to the Events watch request at the API server (after the list)",
                ms(startup.watchRequestMillis()), target,
                startup.watchRequestMillis() >= 0 && startup.watchRequestMillis() < TARGET_STARTUP_MILLIS
                        ? "PASS" : "MISS");
        row(out, "start-up", "process start to the routes started; to the agent's \"Watching events\" log line",
                ms(startup.routesStartedMillis()) + "; " + ms(startup.watchingLoggedMillis()), "", "");
        row(out, "start-up", "process start to a marker Event, written once the watch was up, in Sentry as an "
                + "issue", startup.markerInSentryMillis() < 0 ? "n/a" : String.format("%,d ms (captured by the "
                + "agent at %,d ms; %,d ms after the marker's write)", startup.markerInSentryMillis(),
                startup.markerCapturedMillis(), startup.markerLatencyMillis()), target,
                startup.markerInSentryMillis() >= 0 && startup.markerInSentryMillis() < TARGET_STARTUP_MILLIS
                        ? "PASS" : "MISS");
        row(out, "start-up", "peak RSS of the jar: VmHWM (highest VmRSS sampled)", mib(startup.peakRssKiB())
                + " (" + mib(startup.maxSampledRssKiB()) + ")", "≤ " + TARGET_PEAK_RSS_MIB + " MiB",
                withinRssTarget(Math.max(startup.peakRssKiB(), startup.maxSampledRssKiB()))
                        ? "PASS" : "MISS");
        row(out, "start-up", "agent CPU from process start until the marker's issue arrived",
                String.format("%,.1f s", startup.cpuMillis() / 1000.0), "", "");
        row(out, "start-up", "API requests by kind", byKind(startup.requests()), "", "");
        if (startup.failure() != null) {
            row(out, "start-up", "agent process", startup.failure(), "runs", "FAIL");
        }
        int oldIssues = startup.issues() - startup.markerIssues();
        row(out, "start-up", "issues sent for the existing Events (and for the marker)", oldIssues
                + " (marker: " + startup.markerIssues() + "; logs in all: " + startup.logs() + ")",
                "= 0 (marker: 1)", oldIssues == 0 && startup.markerIssues() == 1 && startup.logs() == 1
                        ? "OK" : "FAIL");
        decodeRow(out, "a storm message (a MODIFIED BackOff Event as fabric8 writes it: apiVersion first, no "
                + "managedFields)", decoding.storm());
        decodeRow(out, "the same Event as an API server writes it (kind first, with the managedFields entry of "
                + "its last write)", decoding.apiServer());
        return out.toString();
    }

    private static void decodeRow(StringBuilder out, String message, WatchDecoding.Result result) {
        row(out, "decode", String.format("%s, %,d bytes, read in the benchmark's process on C1: CPU and "
                + "allocation per read (median of 5 rounds of 20,000) by fabric8's JSON mapping, which builds a "
                + "tree of the object first, and by the agent's (KindFirstDeserializer); fabric8's figure is "
                + "also a yardstick of the machine", message, result.messageBytes()),
                String.format("fabric8: %.1f µs, %,d bytes; agent: %.1f µs, %,d bytes", result.fabric8s().micros(),
                        result.fabric8s().bytes(), result.agents().micros(), result.agents().bytes()), "", "");
    }

    private static String byKind(Map<String, Long> requests) {
        StringBuilder byKind = new StringBuilder();
        requests.forEach((kind, count) -> byKind.append(byKind.isEmpty() ? "" : ", ").append(kind).append(" ")
                .append(String.format("%,d", count)));
        return byKind.toString();
    }

    private static String count(double value) {
        return value < 0 ? "n/a" : String.format("%,.0f", value);
    }

    private static String ms(long millis) {
        return millis < 0 ? "n/a" : String.format("%,d ms", millis);
    }

    private static double rate(long count, long millis) {
        return millis > 0 ? count * 1000.0 / millis : 0;
    }

    private static String p50p99(List<Long> values) {
        return values.isEmpty() ? "n/a" : String.format("%,d / %,d ms", percentile(values, 50),
                percentile(values, 99));
    }

    private static void row(StringBuilder out, String scenario, String measure, String measured, String target,
            String verdict) {
        out.append("| ").append(scenario).append(" | ").append(measure).append(" | ").append(measured)
                .append(" | ").append(target).append(" | ").append(verdict).append(" |\n");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Nearest rank; -1 when there is nothing. */
    static long percentile(List<Long> values, int percent) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static String fingerprint(JsonNode issue) {
        List<String> parts = new ArrayList<>();
        issue.path("fingerprint").forEach(part -> parts.add(part.asText()));
        return String.join("|", parts);
    }

    /** When the SDK stamped a log (seconds since the epoch) or an event (ISO 8601), in epoch ms; -1 if unknown. */
    static long sdkEpochMillis(JsonNode payload) {
        JsonNode timestamp = payload.path("timestamp");
        if (timestamp.isNumber()) {
            return Math.round(timestamp.asDouble() * 1000);
        }
        if (timestamp.isTextual()) {
            try {
                return Instant.parse(timestamp.asText()).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Per occurrence, ms after the first write: written, delivered to the benchmark's watch, logged by the agent
     * (SDK timestamp, when its log arrived), its log received by the recorder.
     */
    static void timeline(Path file, long firstWrite, long firstWriteEpoch, Map<String, Write> writes,
            Map<String, Long> delivered, List<Arrival> logs) throws java.io.IOException {
        Map<String, long[]> logged = new HashMap<>();
        for (Arrival log : logs) {
            String key = String.join("|", SentryRecorder.attribute(log.payload(), "k8s.namespace"),
                    SentryRecorder.attribute(log.payload(), "k8s.pod"),
                    SentryRecorder.attribute(log.payload(), "k8s.event_reason"),
                    SentryRecorder.attribute(log.payload(), "k8s.event_count"));
            logged.putIfAbsent(key, new long[] {sdkEpochMillis(log.payload()) - firstWriteEpoch,
                millis(log.nanos() - firstWrite)});
        }
        StringBuilder csv = new StringBuilder("occurrence,written_ms,watch_delivered_ms,agent_logged_ms,log_received_ms\n");
        writes.entrySet().stream().sorted(java.util.Comparator.comparingLong(entry -> entry.getValue().nanos()))
                .forEach(entry -> {
                    Long at = delivered.get(entry.getKey());
                    long[] log = logged.get(entry.getKey());
                    csv.append(entry.getKey().replace('|', ' ')).append(',')
                            .append(millis(entry.getValue().nanos() - firstWrite)).append(',')
                            .append(at == null ? "" : Long.toString(millis(at - firstWrite))).append(',')
                            .append(log == null ? "" : Long.toString(log[0])).append(',')
                            .append(log == null ? "" : Long.toString(log[1])).append('\n');
                });
        Files.writeString(file, csv);
    }

    /** The 1-minute load average ({@code /proc/loadavg}): other work on the machine skews every figure. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** CPU time all processes on the machine have used so far ({@code /proc/stat}, every core), in ms. */
    static long machineBusyMillis() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(cpu[field]);
            }
            return busy * 10; // USER_HZ 100
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    static long benchCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    private static void dump(Path dir, String name, JsonNode payload) throws java.io.IOException {
        Files.writeString(dir.resolve(name), payload.toPrettyString());
    }

    /** Five characters of the alphabet Kubernetes generates names from, distinct for each index. */
    static String podSuffix(int index) {
        StringBuilder suffix = new StringBuilder();
        int value = index + 54_321;
        for (int i = 0; i < 5; i++) {
            suffix.append(POD_SUFFIX_ALPHABET.charAt(value % POD_SUFFIX_ALPHABET.length()));
            value /= POD_SUFFIX_ALPHABET.length();
        }
        return suffix.toString();
    }

    /** The agent died, or what was awaited did not come. */
    static final class Stopped extends Exception {
        Stopped(String message) {
            super(message);
        }
    }

    static void await(String what, long timeoutMillis, AgentProcess agent, BooleanSupplier condition)
            throws Stopped, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (!agent.isAlive()) {
                Thread.sleep(200); // its last words
                throw new Stopped("the agent died waiting for " + what + " (" + agent.death().orElse("") + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new Stopped("no " + what + " within " + String.format("%,d", timeoutMillis) + " ms");
            }
            Thread.sleep(1);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format("%,.1f MiB", kib / 1024.0);
    }

    private static Map<String, Integer> orderedMap(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
