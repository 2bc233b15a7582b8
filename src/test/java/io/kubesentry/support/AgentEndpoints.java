package io.kubesentry.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The agent's HTTP port on 127.0.0.1: readiness and Prometheus metrics, as the kubelet and Prometheus read them. */
public record AgentEndpoints(int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A loopback port free right now (for {@code KUBE_SENTRY_HTTP_PORT}, or another server of the test). */
    public static AgentEndpoints onFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new AgentEndpoints(socket.getLocalPort());
        }
    }

    /** The HTTP status of {@code /observe/health/ready}, or -1 while nothing answers. */
    public int readiness() {
        return status("/observe/health/ready");
    }

    public String readinessBody() {
        return body("/observe/health/ready");
    }

    /** A counter's value summed over its labels matching {@code labels} (e.g. {@code watch="events"}), 0 if absent. */
    public double counter(String name, String labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(body("/observe/metrics"));
        double sum = 0;
        while (line.find()) {
            if (line.group(1).contains(labels)) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }

    /** The HTTP status of {@code path}, or -1 while nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body at {@code path}, or empty while nothing answers. */
    public String body(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .GET().build();
    }
}
