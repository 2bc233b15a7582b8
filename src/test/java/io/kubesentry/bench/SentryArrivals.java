package io.kubesentry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubesentry.support.SentryRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each issue and log the {@link SentryRecorder} records the time it arrived: a watcher looks at the
 * recorder every millisecond and stamps what is new. Good to about a millisecond, which is well below what
 * is measured (Sentry SDK transport, 5 s log batches).
 */
final class SentryArrivals implements AutoCloseable {

    /** An issue or log payload and when the recorder had it ({@link System#nanoTime()}). */
    record Arrival(long nanos, JsonNode payload) {
    }

    private final SentryRecorder recorder;
    private final List<Arrival> issues = new ArrayList<>();
    private final List<Arrival> logs = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean running = true;

    SentryArrivals(SentryRecorder recorder) {
        this.recorder = recorder;
        this.watcher = new Thread(this::watch, "sentry-arrivals");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (running) {
            poll();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll() {
        List<JsonNode> issueNow = recorder.issues();
        List<JsonNode> logNow = recorder.logs();
        long now = System.nanoTime();
        synchronized (this) {
            for (int i = issues.size(); i < issueNow.size(); i++) {
                issues.add(new Arrival(now, issueNow.get(i)));
            }
            for (int i = logs.size(); i < logNow.size(); i++) {
                logs.add(new Arrival(now, logNow.get(i)));
            }
        }
    }

    synchronized List<Arrival> issues() {
        return List.copyOf(issues);
    }

    synchronized List<Arrival> logs() {
        return List.copyOf(logs);
    }

    synchronized int issueCount() {
        return issues.size();
    }

    synchronized int logCount() {
        return logs.size();
    }

    /** The arrival of the most recent issue or log, or -1. */
    synchronized long lastArrival() {
        long last = -1;
        if (!issues.isEmpty()) {
            last = Math.max(last, issues.get(issues.size() - 1).nanos());
        }
        if (!logs.isEmpty()) {
            last = Math.max(last, logs.get(logs.size() - 1).nanos());
        }
        return last;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        watcher.join(1_000);
        poll();
    }
}
