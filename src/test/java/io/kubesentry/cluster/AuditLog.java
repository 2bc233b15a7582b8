package io.kubesentry.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API servers' audit logs ({@code audit*.log}): every request but get and watch, and but the lists the test
 * and the controllers make as system:masters.
 */
public final class AuditLog {

    /** One request: who, what verb, on which resource in which namespace, the URI and the answer's code. */
    public record Request(String user, String verb, String group, String resource, String namespace, String name,
            String uri, int code) {
        boolean isWrite() {
            return !READS.contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + " " + namespace + "/" + name
                    + " -> " + code;
        }
    }

    private static final Set<String> READS = Set.of("get", "list", "watch");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLog() {
    }

    /** Every write {@code user} made so far (the log is written as requests end). */
    public static List<Request> writesBy(ControlPlane plane, String user) {
        return requestsBy(plane, user).stream().filter(Request::isWrite).toList();
    }

    /** Every audited request of {@code user}: its writes and its lists. */
    public static List<Request> requestsBy(ControlPlane plane, String user) {
        List<Request> requests = new ArrayList<>();
        try (var files = Files.list(plane.directory())) {
            for (Path log : files.filter(f -> f.getFileName().toString().matches("audit.*\\.log")).toList()) {
                try (var lines = Files.lines(log)) {
                    lines.map(AuditLog::read)
                            .filter(node -> user.equals(node.path("user").path("username").asText()))
                            .map(AuditLog::request)
                            .forEach(requests::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable audit line: " + line, e);
        }
    }

    private static Request request(JsonNode event) {
        JsonNode ref = event.path("objectRef");
        return new Request(event.path("user").path("username").asText(), event.path("verb").asText(),
                ref.path("apiGroup").asText(), ref.path("resource").asText(), ref.path("namespace").asText(),
                ref.path("name").asText(), event.path("requestURI").asText(),
                event.path("responseStatus").path("code").asInt());
    }
}
