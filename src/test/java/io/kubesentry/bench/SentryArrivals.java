package io.kubesentry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubesentry.support.SentryRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each issue and log the {@link SentryRecorder} records the time it arrived, stamped as the recorder
 * parses its envelope (before the SDK is answered).
 */
final class SentryArrivals implements AutoCloseable {

    /** An issue or log payload and when the recorder had it ({@link System#nanoTime()}). */
    record Arrival(long nanos, JsonNode payload) {
    }

    private final SentryRecorder recorder;
    private final List<Arrival> issues = new ArrayList<>();
    private final List<Arrival> logs = new ArrayList<>();

    SentryArrivals(SentryRecorder recorder) {
        this.recorder = recorder;
        recorder.onArrival(this::arrived);
    }

    private void arrived(List<SentryRecorder.Item> items) {
        long now = System.nanoTime();
        synchronized (this) {
            for (SentryRecorder.Item item : items) {
                if (item.type().equals("event")) {
                    issues.add(new Arrival(now, item.payload()));
                } else if (item.type().equals("log")) {
                    item.payload().path("items").forEach(log -> logs.add(new Arrival(now, log)));
                }
            }
        }
    }

    /** Forgets what arrived so far (a warm-up's issues and logs). */
    synchronized void clear() {
        issues.clear();
        logs.clear();
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
    public void close() {
        recorder.onArrival(items -> { });
    }
}
