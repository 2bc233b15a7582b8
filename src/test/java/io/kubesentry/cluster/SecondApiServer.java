package io.kubesentry.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubesentry.support.AgentEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A second kube-apiserver on the control plane's etcd, as in a highly available control plane: the one a test
 * points the agent at when it kills and restarts the API server under it (kube-api-test stops etcd too when its
 * own API server dies). It runs with the first one's flags, on a port of its own; its audit log is
 * {@code audit-2.log}. Also compacts etcd, as the API server does every five minutes.
 */
public final class SecondApiServer implements AutoCloseable {

    private final ControlPlane plane;
    private final List<String> command;
    private final String etcd;
    private final int port;
    private ComponentProcess process;

    private SecondApiServer(ControlPlane plane, List<String> command, String etcd, int port) {
        this.plane = plane;
        this.command = command;
        this.etcd = etcd;
        this.port = port;
    }

    public static SecondApiServer start(ControlPlane plane) throws IOException {
        List<String> first = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/kube-apiserver")).orElse(false))
                .findFirst().flatMap(p -> p.info().arguments()).map(List::of)
                .orElseThrow(() -> new IllegalStateException("kube-api-test's kube-apiserver is not running"));
        int port = AgentEndpoints.onFreePort().port();
        List<String> command = new ArrayList<>(first);
        replace(command, "--secure-port", String.valueOf(port));
        replace(command, "--audit-log-path", plane.directory().resolve("audit-2.log").toString());
        String etcd = command.get(command.indexOf("--etcd-servers") + 1).replace("0.0.0.0", "127.0.0.1");
        SecondApiServer server = new SecondApiServer(plane, command, etcd, port);
        server.restart();
        return server;
    }

    private static void replace(List<String> command, String flag, String value) {
        int at = command.indexOf(flag);
        if (at < 0) {
            throw new IllegalStateException("kube-apiserver runs without " + flag);
        }
        command.set(at + 1, value);
    }

    public String url() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** SIGKILL: the agent's connections break without a goodbye. */
    public void kill() {
        process.kill();
    }

    /** Starts it (again) on its port and waits until it is ready. */
    public void restart() throws IOException {
        process = ComponentProcess.start(plane.directory(), plane.testbed().binary("kube-apiserver"),
                command.toArray(String[]::new));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
                Files.readString(plane.directory().resolve("admin.kubeconfig")))).editOrNewConfig()
                .withMasterUrl(url()).endConfig().build()) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> "ok".equals(client.raw("/readyz")));
        }
    }

    /** etcd's current revision (every write raises it). */
    public long etcdRevision() {
        return Long.parseLong(etcdCall("/v3/kv/range", "{\"key\":\"AA==\",\"limit\":1}")
                .replaceAll("(?s).*\"revision\":\"(\\d+)\".*", "$1"));
    }

    /** Compacts etcd's history up to its current revision: any watch from before it is answered 410 Gone. */
    public void compactEtcd() {
        etcdCall("/v3/kv/compaction", "{\"revision\":\"" + etcdRevision() + "\",\"physical\":true}");
    }

    private String etcdCall(String path, String body) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(etcd + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("etcd answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
