package io.kubesentry.support;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drains the mock API server's request log as requests arrive and counts them by kind: {@code GET pods/{name}}
 * (an owner lookup), {@code WATCH events}, {@code POST events}, ... The mock records every request it
 * serves; draining keeps 50,000 recorded creations from piling up in the benchmark's heap.
 */
public final class ApiRequestCounter implements AutoCloseable {

    private final KubernetesMockServer server;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Thread drain;
    private volatile boolean running = true;

    public ApiRequestCounter(KubernetesMockServer server) {
        this.server = server;
        this.drain = new Thread(this::drain, "api-request-counter");
        drain.setDaemon(true);
        drain.start();
    }

    private void drain() {
        while (running) {
            try {
                RecordedRequest request = server.takeRequest(50, TimeUnit.MILLISECONDS);
                if (request != null) {
                    String kind = kind(request.getMethod(), request.getPath());
                    long now = System.nanoTime();
                    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
                    firstSeenNanos.putIfAbsent(kind, now);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * {@code GET pods/{name}}, {@code GET pods}, {@code WATCH events}, {@code PUT events/{name}}: the verb,
     * the resource, and whether one object is named. Group, version and namespace are left out.
     */
    public static String kind(String method, String pathAndQuery) {
        String path = pathAndQuery == null ? "" : pathAndQuery;
        String query = "";
        int question = path.indexOf('?');
        if (question >= 0) {
            query = path.substring(question + 1);
            path = path.substring(0, question);
        }
        String[] segments = path.replaceFirst("^/", "").split("/");
        int resourceAt;
        if (segments.length > 0 && segments[0].equals("api")) {
            resourceAt = 2; // /api/v1/...
        } else if (segments.length > 0 && segments[0].equals("apis")) {
            resourceAt = 3; // /apis/group/version/...
        } else {
            return method + " " + path;
        }
        if (segments.length > resourceAt + 1 && segments[resourceAt].equals("namespaces")
                && segments.length > resourceAt + 2) {
            resourceAt += 2;
        }
        if (segments.length <= resourceAt) {
            return method + " " + path;
        }
        String resource = segments[resourceAt];
        boolean named = segments.length > resourceAt + 1;
        boolean watch = query.contains("watch=true") || query.contains("watch=1");
        String verb = watch ? "WATCH" : method;
        return verb + " " + resource + (named ? "/{name}" : "");
    }

    /** How many requests of each kind so far. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((kind, count) -> copy.put(kind, count.sum()));
        return copy;
    }

    /** When the first request of this kind arrived ({@link System#nanoTime()}), or -1. */
    public long firstSeen(String kind) {
        return firstSeenNanos.getOrDefault(kind, -1L);
    }

    /** Waits until every request served so far has been counted. */
    public void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long counted;
        do {
            Thread.sleep(100);
            counted = snapshot().values().stream().mapToLong(Long::longValue).sum();
        } while (counted < server.getRequestCount() && System.nanoTime() < deadline);
    }

    /** The counts between two snapshots. */
    public static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> difference = new TreeMap<>();
        after.forEach((kind, count) -> {
            long delta = count - before.getOrDefault(kind, 0L);
            if (delta != 0) {
                difference.put(kind, delta);
            }
        });
        return difference;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        drain.join(1_000);
    }
}
