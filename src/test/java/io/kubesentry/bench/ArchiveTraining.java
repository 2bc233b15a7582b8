package io.kubesentry.bench;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kubesentry.support.MockCluster;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Trains the image's class archive on what a cluster makes the agent do. The packaged jar runs with the image's
 * flags and {@code -XX:ArchiveClassesAtExit} against the fabric8 mock API server and a recording Sentry, both on
 * 127.0.0.1: it lists Events stored before it started (page by page), watches Events and Pods, resolves owners,
 * reads an OOMKilled container's state, sends issues and logs over HTTP, answers its health and metrics
 * endpoints, and is stopped with SIGTERM, when the JVM writes the archive. A replay of a recording, the
 * earlier training, never loaded the HTTP, WebSocket, TLS and watch classes: some 3,000 classes the agent then
 * parsed at start-up and kept outside the archive.
 *
 * <p>The image's build runs {@link #main} with the runtime image's own JRE, which is what makes the archive
 * fit; the benchmark trains through {@link #train} the same way.
 */
public final class ArchiveTraining {

    private static final String NAMESPACE = "training";
    private static final String[] PODS = {"api-7d9f8b6c5-a1b2c", "api-7d9f8b6c5-d3e4f", "api-7d9f8b6c5-g5h6i"};
    /** Enough for two list pages of 500. */
    private static final int STORED_EVENTS = 600;
    private static final long TIMEOUT_MILLIS = 60_000;
    private static final int SIGTERM_EXIT = 128 + 15;

    private ArchiveTraining() {
    }

    /** {@code ArchiveTraining <jar> <archive> [work directory]}: exits 0 once the archive is written. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ArchiveTraining <jar> <archive to write> [work directory]");
            System.exit(2);
        }
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("archive-training");
        long millis = train(Path.of(args[0]), Path.of(args[1]), work);
        System.out.printf("archive training: %s written in %,d ms%n", args[1], millis);
        System.exit(0);
    }

    /** Runs the training; returns how long it took. The agent's output goes to {@code work/agent.log}. */
    public static long train(Path jar, Path archive, Path work) throws Exception {
        long start = System.nanoTime();
        Files.deleteIfExists(archive);
        try (MockCluster cluster = new MockCluster(); SentryRecorder sentry = new SentryRecorder()) {
            cluster.deployment(NAMESPACE, "api", "node-1", PODS);
            StoredEventsApi.install(cluster.server(), storedEvents(cluster));
            AgentProcess agent = AgentProcess.start(jar, ShippedJvm.training(archive),
                    cluster.client().getMasterUrl().toString(), sentry.dsn(), work);
            try {
                exercise(cluster, sentry, agent);
                say(start, "%d issues and %d logs received; stopping the agent (SIGTERM)", sentry.issues().size(),
                        sentry.logs().size());
            } finally {
                agent.close();
            }
            // 143: the JVM's exit after SIGTERM, once its shutdown hooks (Camel's, the archive's dump) have run
            say(start, agent.exitValue() == SIGTERM_EXIT
                    ? "the agent stopped on SIGTERM as asked (exit code 143) and wrote the class archive"
                    : "the agent exited with %d", agent.exitValue());
            if (agent.exitValue() != SIGTERM_EXIT || !Files.isRegularFile(archive)) {
                throw new IllegalStateException("archive training: the agent exited with " + agent.exitValue()
                        + " and " + (Files.isRegularFile(archive) ? "an" : "no") + " archive; see "
                        + work.resolve("agent.log"));
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void exercise(MockCluster cluster, SentryRecorder sentry, AgentProcess agent) throws Exception {
        StormBenchmark.await("the agent watching", TIMEOUT_MILLIS, agent,
                () -> agent.lineTime("Watching events").isPresent());
        Instant now = Instant.now();
        // a repeating Event object: created, then its count (failed pulls) grows past ImagePullBackOff's 3
        Event pullFailed = cluster.create(cluster.podEvent(NAMESPACE, PODS[0], "Failed",
                "Failed to pull image \"shop/api:9.9.9\": rpc error: code = NotFound desc = not found", 1, now).build());
        for (int count = 2; count <= 4; count++) {
            pullFailed = cluster.repeat(pullFailed, count, Instant.now());
        }
        cluster.create(cluster.podEvent(NAMESPACE, PODS[1], "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient memory.", 1, now).build());
        cluster.create(cluster.podEvent(NAMESPACE, PODS[1], "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503", 1, now).build());
        // a container the kernel killed: a state in the pod's status, not an Event
        Pod pod = cluster.pod(NAMESPACE, PODS[2]);
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder()
                .withName("app").withImage("shop/api:1.2.3").withRestartCount(1)
                .withNewState().withNewRunning().withStartedAt(MockCluster.timestamp(now)).endRunning().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withStartedAt(MockCluster.timestamp(now.minusSeconds(60)))
                .withFinishedAt(MockCluster.timestamp(now)).endTerminated().endLastState()
                .build()).build());
        cluster.updateStatus(pod);

        StormBenchmark.await("three issues and their logs", TIMEOUT_MILLIS, agent,
                () -> sentry.issues().size() >= 3 && sentry.logs().size() >= 6);
        // what a kubelet's probe and a Prometheus scrape load
        agent.get("/observe/health/ready");
        agent.get("/observe/metrics");
    }

    /** Old news at start-up: listed, then dropped by the start-up cutoff. */
    private static List<Event> storedEvents(MockCluster cluster) {
        Instant now = Instant.now();
        List<Event> events = new ArrayList<>(STORED_EVENTS);
        for (int i = 0; i < STORED_EVENTS; i++) {
            String pod = PODS[i % PODS.length];
            events.add(cluster.podEvent(NAMESPACE, pod, "BackOff", "Back-off restarting failed container app", 1 + i,
                    now.minusSeconds(600 + i)).editMetadata().withName(pod + ".stored" + i).endMetadata().build());
        }
        return events;
    }

    private static void say(long start, String format, Object... args) {
        System.out.printf("archive training: %,6d ms: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                String.format(format, args));
    }
}
