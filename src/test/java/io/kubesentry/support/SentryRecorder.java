package io.kubesentry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for Sentry's ingest on 127.0.0.1: records every envelope the real SDK posts, gunzipped and
 * split into items, so tests assert on what would have reached Sentry.
 */
public final class SentryRecorder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One envelope item: its header ({@code type}, {@code length}, ...) and its JSON payload. */
    public record Item(String type, JsonNode header, JsonNode payload) {
    }

    private final HttpServer server;
    private final List<Item> items = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int failureStatus;
    private final java.util.concurrent.atomic.AtomicInteger slow = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long slowMillis;
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String retryAfter;
    private volatile java.util.function.Consumer<List<Item>> arrivals = items -> { };
    private volatile java.util.Map<String, String> failureHeaders = java.util.Map.of();
    private volatile String limitedType;
    private volatile int limitedStatus;
    private volatile java.util.Map<String, String> limitedHeaders = java.util.Map.of();
    private final List<java.time.Instant> requestTimes = new CopyOnWriteArrayList<>();

    static {
        // the JDK's server writes the answer's headers and body apart: with Nagle's algorithm on, the SDK's
        // delayed ACK holds each answer some 40 ms, and one envelope at a time goes out (read once, at first use)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public SentryRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", this::record);
        server.start();
    }

    /** A DSN that makes the SDK post here, to project 1. */
    public String dsn() {
        return "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/1";
    }

    /** Sentry has an outage: the next {@code count} envelopes are answered with {@code status} and not recorded. */
    public void failNext(int count, int status, String retryAfterSeconds) {
        failureHeaders = java.util.Map.of();
        failureStatus = status;
        retryAfter = retryAfterSeconds;
        failures.set(count);
    }

    /** As {@link #failNext}, with these headers on each failure (X-Sentry-Rate-Limits, an HTTP-date Retry-After). */
    public void failNextWith(int count, int status, java.util.Map<String, String> headers) {
        failureStatus = status;
        retryAfter = null;
        failureHeaders = java.util.Map.copyOf(headers);
        failures.set(count);
    }

    /**
     * Sentry limits one kind of item: every envelope whose first item has {@code type} (log, event) is answered
     * with {@code status} and {@code headers} and not recorded, until {@link #unlimit()}; the others are taken.
     */
    public void limit(String type, int status, java.util.Map<String, String> headers) {
        limitedStatus = status;
        limitedHeaders = java.util.Map.copyOf(headers);
        limitedType = type;
    }

    public void unlimit() {
        limitedType = null;
    }

    /** When each envelope request arrived. */
    public List<java.time.Instant> requestTimes() {
        return List.copyOf(requestTimes);
    }

    /** Sentry is slow: the next {@code count} envelopes are answered (and recorded) only after {@code delay}. */
    public void slowNext(int count, java.time.Duration delay) {
        slowMillis = delay.toMillis();
        slow.set(count);
    }

    /** Called with each recorded envelope's items as it arrives, before the SDK is answered. */
    public void onArrival(java.util.function.Consumer<List<Item>> listener) {
        arrivals = listener;
    }

    /** Every envelope request received, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** How many envelopes were answered with a failure. */
    public int refused() {
        return refused.get();
    }

    private void record(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requestTimes.add(java.time.Instant.now());
            requests.incrementAndGet();
            if (slow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                failureHeaders.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                exchange.sendResponseHeaders(failureStatus, -1);
                return;
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = gunzip.readAllBytes();
                }
            }
            List<Item> parsed = parse(body);
            String limited = limitedType;
            if (limited != null && !parsed.isEmpty() && parsed.get(0).type().equals(limited)) {
                refused.incrementAndGet();
                limitedHeaders.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                exchange.sendResponseHeaders(limitedStatus, -1);
                return;
            }
            paths.add(exchange.getRequestURI().getPath());
            items.addAll(parsed);
            arrivals.accept(parsed);
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** Envelope: a header line, then per item a header line and a payload of {@code length} bytes (or one line). */
    static List<Item> parse(byte[] envelope) throws IOException {
        List<Item> parsed = new ArrayList<>();
        int position = lineEnd(envelope, 0) + 1;
        while (position < envelope.length) {
            int headerEnd = lineEnd(envelope, position);
            String headerText = new String(envelope, position, headerEnd - position, StandardCharsets.UTF_8);
            if (headerText.isBlank()) {
                position = headerEnd + 1;
                continue;
            }
            JsonNode header = JSON.readTree(headerText);
            int payloadStart = headerEnd + 1;
            int payloadEnd = header.has("length")
                    ? payloadStart + header.get("length").asInt()
                    : lineEnd(envelope, payloadStart);
            JsonNode payload = JSON.readTree(new String(envelope, payloadStart, payloadEnd - payloadStart,
                    StandardCharsets.UTF_8));
            parsed.add(new Item(header.path("type").asText(), header, payload));
            position = payloadEnd + 1;
        }
        return parsed;
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    /** The issue events received, oldest first. */
    public List<JsonNode> issues() {
        return items.stream().filter(item -> item.type().equals("event")).map(Item::payload).toList();
    }

    /** Every log received, each batch flattened, oldest first. */
    public List<JsonNode> logs() {
        List<JsonNode> logs = new ArrayList<>();
        items.stream().filter(item -> item.type().equals("log"))
                .forEach(item -> item.payload().path("items").forEach(logs::add));
        return logs;
    }

    public List<String> paths() {
        return List.copyOf(paths);
    }

    public void clear() {
        items.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A log attribute's value, or null when absent. */
    public static String attribute(JsonNode log, String name) {
        JsonNode value = log.path("attributes").path(name).path("value");
        return value.isMissingNode() ? null : value.asText();
    }
}
