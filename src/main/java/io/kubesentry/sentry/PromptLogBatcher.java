package io.kubesentry.sentry;

import io.sentry.SentryClient;
import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEvents;
import io.sentry.logger.ILoggerBatchProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Batches Sentry logs the way a storm needs: a full batch of 100 goes to the transport at once, the rest
 * within a second. The SDK's own batcher holds at most 1,000 logs and sends every 5 s, so above about
 * 200 logs/s it drops them. Here the bound is the transport's queue, which retries and counts what it loses.
 */
final class PromptLogBatcher implements ILoggerBatchProcessor {

    static final int BATCH = 100;
    static final long FLUSH_MILLIS = 1_000;

    private final SentryClient client;
    private final List<SentryLogEvent> pending = new ArrayList<>(BATCH);
    private final ScheduledExecutorService timer;

    PromptLogBatcher(SentryClient client) {
        this.client = client;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sentry-log-batcher");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sendPending, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void add(SentryLogEvent event) {
        List<SentryLogEvent> full = null;
        synchronized (pending) {
            pending.add(event);
            if (pending.size() >= BATCH) {
                full = take();
            }
        }
        if (full != null) {
            client.captureBatchedLogEvents(new SentryLogEvents(full));
        }
    }

    private void sendPending() {
        List<SentryLogEvent> batch;
        synchronized (pending) {
            batch = pending.isEmpty() ? null : take();
        }
        if (batch != null) {
            client.captureBatchedLogEvents(new SentryLogEvents(batch));
        }
    }

    private List<SentryLogEvent> take() {
        List<SentryLogEvent> batch = new ArrayList<>(pending);
        pending.clear();
        return batch;
    }

    /** Hands what is pending to the transport, whose own flush then waits for delivery. */
    @Override
    public void flush(long timeoutMillis) {
        sendPending();
    }

    @Override
    public void close(boolean isRestarting) {
        sendPending();
        timer.shutdownNow();
    }
}
