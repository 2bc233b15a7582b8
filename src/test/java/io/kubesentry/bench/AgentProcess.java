package io.kubesentry.bench;

import io.kubesentry.support.AgentJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged jar as a process, started with the JVM flags the image ships, pointed at the mock API server
 * through a kubeconfig and at the recorder through SENTRY_DSN. Every output line is kept with the time it
 * was read; the resident set is sampled from {@code /proc/<pid>/status} while it runs.
 */
final class AgentProcess implements AutoCloseable {

    /**
     * Diagnosis only: flags added after the shipped ones ({@code -Dbench.agent-jvm-flags="-Xmx256m"}); the
     * table names them, so such a run is never taken for one with the shipped flags.
     */
    static final List<String> EXTRA_JVM_FLAGS = List.of(System.getProperty("bench.agent-jvm-flags", "").trim()
            .split("\\s+")).stream().filter(flag -> !flag.isEmpty()).toList();

    private static final long RSS_SAMPLE_MILLIS = 50;
    /** The agents this benchmark started and has not stopped yet: stopped if the benchmark itself is. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** USER_HZ: 100 on every Linux architecture Java runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** One output line and when the benchmark read it ({@link System#nanoTime()}). */
    record Line(long nanos, String text) {
    }

    private final Process process;
    private final int httpPort;
    private final long startNanos;
    private final long startEpochMillis;
    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final AtomicLong maxSampledRssKiB = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean sampling = true;

    private AgentProcess(Process process, int httpPort, long startNanos, long startEpochMillis, Path log)
            throws IOException {
        this.process = process;
        this.httpPort = httpPort;
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        threads.add(daemon("agent-stderr", () -> pump(process.getErrorStream(), out)));
        threads.add(daemon("agent-stdout", () -> pump(process.getInputStream(), out)));
        threads.add(daemon("agent-rss", this::sampleRss));
    }

    /**
     * Diagnosis only: {@code -Dbench.class-archive=false} starts the agent without the class archive the image
     * ships (to see what it is worth, or to run a jar from before it); the table then says so.
     */
    static final boolean CLASS_ARCHIVE = Boolean.parseBoolean(System.getProperty("bench.class-archive", "true"));

    /** The flags the agent starts with. */
    static List<String> jvmFlags(Path jar) {
        return CLASS_ARCHIVE ? ShippedJvm.running(archive(jar)) : ShippedJvm.FLAGS;
    }

    /** The class archive the agent starts with: beside its jar, as in the image. */
    static Path archive(Path jar) {
        return jar.resolveSibling(ShippedJvm.ARCHIVE);
    }

    /**
     * Trains the class archive for {@code jar} as the image's build does: {@link ArchiveTraining}, in a directory
     * of its own. Returns how long it took.
     */
    static long train(Path jar, Path dir) throws Exception {
        return ArchiveTraining.train(jar, archive(jar), dir);
    }

    /** The {@code java} of this JVM's own runtime: the one the archive is trained with and fits. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The image's environment: none of the agent's settings or JVM options from this process, and its ENV. */
    private static Map<String, String> shippedEnvironment(Map<String, String> env) {
        env.keySet().removeIf(name -> name.startsWith("KUBE") || name.startsWith("SENTRY")
                || name.startsWith("CAMEL_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
                || name.equals("_JAVA_OPTIONS"));
        env.putAll(ShippedJvm.ENVIRONMENT);
        return env;
    }

    /**
     * @param jar       the packaged jar
     * @param masterUrl the API server the kubeconfig names
     * @param dsn       where the Sentry SDK posts
     * @param dir       a directory for the kubeconfig, HOME and the process's output ({@code agent.log})
     */
    static AgentProcess start(Path jar, String masterUrl, String dsn, Path dir) throws IOException {
        List<String> flags = new ArrayList<>(jvmFlags(jar));
        flags.addAll(EXTRA_JVM_FLAGS);
        return start(jar, flags, masterUrl, dsn, dir);
    }

    /** As {@link #start(Path, String, String, Path)}, with these JVM flags only. */
    static AgentProcess start(Path jar, List<String> jvmFlags, String masterUrl, String dsn, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path kubeconfig = AgentJar.kubeconfig(dir, masterUrl);
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = shippedEnvironment(builder.environment());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("SENTRY_DSN", dsn);
        env.put("SENTRY_ENVIRONMENT", "bench");
        env.put("HOME", dir.toString());
        // the health and metrics server stays on (it is part of what ships), on a free port of 127.0.0.1
        int httpPort = freePort();
        env.put("KUBE_SENTRY_HTTP_PORT", Integer.toString(httpPort));
        env.put("KUBE_SENTRY_HTTP_HOST", "127.0.0.1");
        long startEpochMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        Process process = builder.start();
        LIVE.add(process);
        return new AgentProcess(process, httpPort, startNanos, startEpochMillis, dir.resolve("agent.log"));
    }

    long startNanos() {
        return startNanos;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    long startEpochMillis() {
        return startEpochMillis;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; the process must have ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** Why the process is gone ("exit 3: Terminating due to java.lang.OutOfMemoryError: ..."), or empty. */
    Optional<String> death() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        String last = lines.stream().map(Line::text).filter(line -> line.contains("Error")
                || line.contains("Exception") || line.contains("Terminating")).reduce((a, b) -> b).orElse("");
        return Optional.of("exit " + process.exitValue() + (last.isEmpty() ? "" : ": " + last.strip()));
    }

    /** When the first line containing {@code text} was read, waiting up to {@code timeoutMillis}. */
    OptionalLong awaitLine(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            OptionalLong seen = lineTime(text);
            if (seen.isPresent()) {
                return seen;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(2);
        }
        return lineTime(text);
    }

    OptionalLong lineTime(String text) {
        return lines.stream().filter(line -> line.text().contains(text)).mapToLong(Line::nanos).findFirst();
    }

    Optional<String> lineText(String text) {
        return lines.stream().map(Line::text).filter(line -> line.contains(text)).findFirst();
    }

    long countLines(String text) {
        return lines.stream().filter(line -> line.text().contains(text)).count();
    }

    /** The highest VmRSS seen by the sampler, in KiB. */
    long maxSampledRssKiB() {
        return maxSampledRssKiB.get();
    }

    /** The kernel's high-water mark of the resident set (VmHWM) since the process started, in KiB. */
    long peakRssKiB() {
        sampleOnce();
        return status("VmHWM:");
    }

    long rssKiB() {
        return status("VmRSS:");
    }

    /**
     * The sum of the agent's Prometheus samples whose name is {@code name} and whose labels contain
     * {@code labels} (may be empty), from its /observe/metrics; -1 when it has no such meter or does not answer.
     */
    double metric(String name, String labels) {
        try {
            var connection = open("/observe/metrics");
            String text;
            try (InputStream body = connection.getInputStream()) {
                text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            double sum = 0;
            boolean found = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String series = space < 0 ? line : line.substring(0, space);
                int brace = series.indexOf('{');
                String metric = brace < 0 ? series : series.substring(0, brace);
                if (metric.equals(name) && series.contains(labels)) {
                    sum += Double.parseDouble(line.substring(space + 1));
                    found = true;
                }
            }
            return found ? sum : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The status of a GET of one of the agent's own endpoints ({@code /observe/...}); -1 when it does not answer. */
    int get(String path) {
        try {
            var connection = open(path);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    private java.net.HttpURLConnection open(String path) throws IOException {
        var connection = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + httpPort + path)
                .openConnection();
        connection.setConnectTimeout(1_000);
        connection.setReadTimeout(2_000);
        return connection;
    }

    /** SIGSTOP: the process keeps its connections but runs no code until {@link #resume()}. */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** User plus system CPU time the process has used so far, in ms (from {@code /proc/<pid>/stat}). */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // after the command name in parentheses: state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU milliseconds per kind of thread ({@code /proc/<pid>/task/<tid>/comm}, digits dropped, so a pool's
     * threads add up): which part of the agent was busy.
     */
    Map<String, Long> threadCpuMillis() {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            tasks.forEach(task -> {
                try {
                    String kind = kind(Files.readString(task.resolve("comm")).trim());
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byKind.merge(kind, ticks * 1000 / CLOCK_TICKS_PER_SECOND, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return byKind;
    }

    /** A thread's kind from its name, which Linux cuts at 15 characters: "-1975629104-poo" is a pool thread. */
    private static String kind(String comm) {
        String kind = comm.replaceFirst("^-?\\d+-", "").replaceFirst("[-#]?\\d+$", "");
        return kind.startsWith("poo") ? "pool" : kind;
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    private void sampleRss() {
        while (sampling && process.isAlive()) {
            sampleOnce();
            try {
                Thread.sleep(RSS_SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        long rss = rssKiB();
        maxSampledRssKiB.accumulateAndGet(rss, Math::max);
    }

    private void pump(InputStream stream, PrintWriter out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(new Line(System.nanoTime(), line));
                synchronized (out) {
                    out.println(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Kills what this benchmark started and left running (its own children only, by handle). */
    static void killAll() {
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; forcibly after 20 s. */
    @Override
    public void close() throws InterruptedException {
        sampling = false;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        LIVE.remove(process);
        for (Thread thread : threads) {
            thread.join(2_000);
        }
    }
}
