package io.kubesentry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as its own process, pointed at an API server through a kubeconfig, as it runs in a pod.
 * Each process has its own Sentry SDK, which the in-JVM tests cannot give two agents.
 */
public final class AgentJar implements AutoCloseable {

    public static final Path JAR = Path.of("target/kube-sentry-events.jar");

    private final Process process;
    private final Path stderr;

    private AgentJar(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Starts the jar with a kubeconfig for {@code masterUrl}; {@code env} adds to a clean environment. */
    public static AgentJar start(Path dir, String name, String masterUrl, Map<String, String> env) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        return start(home, kubeconfig(home, masterUrl), env);
    }

    /** Starts the jar in {@code home} with the given kubeconfig; {@code env} adds to a clean environment. */
    public static AgentJar start(Path home, Path kubeconfig, Map<String, String> env) throws IOException {
        Files.createDirectories(home);
        Path stderr = home.resolve("stderr.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectError(stderr.toFile())
                .redirectOutput(home.resolve("stdout.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("KUBE") || key.startsWith("SENTRY")
                || key.endsWith("JAVA_OPTIONS") || key.equals("JAVA_TOOL_OPTIONS"));
        environment.put("KUBECONFIG", kubeconfig.toString());
        environment.put("HOME", home.toString());
        environment.put("KUBE_SENTRY_HTTP_PORT", "0");
        environment.putAll(env);
        return new AgentJar(builder.start(), stderr);
    }

    /** A kubeconfig in {@code dir} that points kubectl-like clients at {@code masterUrl}. */
    public static Path kubeconfig(Path dir, String masterUrl) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: test
                  user:
                    token: test-token
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: test
                current-context: mock
                """.formatted(masterUrl));
    }

    public String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    public Process process() {
        return process;
    }

    /** Dies without a goodbye, as a pod on a lost node: nothing is flushed, no Lease is released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, as the kubelet sends; waits for a graceful exit. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
