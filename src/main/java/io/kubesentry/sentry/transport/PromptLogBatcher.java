package io.kubesentry.sentry.transport;

import io.sentry.SentryClient;
import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEvents;
import io.sentry.logger.ILoggerBatchProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Batches Sentry logs the way a storm needs: a full batch of 100 goes to the transport at once, and what is
 * left goes once no log came for 100 ms, or 1 s after the first of it at the latest. The SDK's own batcher
 * holds at most 1,000 logs and sends every 5 s, so above about 200 logs/s it drops them. Here the bound is
 * the transport's queue, which retries and counts what it loses.
 */
final class PromptLogBatcher implements ILoggerBatchProcessor {

    static final int BATCH = 100;
    static final long QUIET_MILLIS = 100;
    static final long LATEST_MILLIS = 1_000;

    private final Consumer<SentryLogEvents> transport;
    private final List<SentryLogEvent> pending = new ArrayList<>(BATCH);
    private final ScheduledExecutorService timer;
    private long firstPendingNanos;
    private long lastAddedNanos;
    private boolean checkScheduled;
    private final AtomicInteger handingOver = new AtomicInteger(); // batches taken, not yet with the transport

    PromptLogBatcher(SentryClient client) {
        this(client::captureBatchedLogEvents);
    }

    PromptLogBatcher(Consumer<SentryLogEvents> transport) {
        this.transport = transport;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sentry-log-batcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void add(SentryLogEvent event) {
        List<SentryLogEvent> full = null;
        boolean schedule = false;
        synchronized (pending) {
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                firstPendingNanos = now;
            }
            lastAddedNanos = now;
            pending.add(event);
            if (pending.size() >= BATCH) {
                full = take();
            } else if (!checkScheduled) {
                checkScheduled = true;
                schedule = true;
            }
        }
        if (full != null) {
            handOver(full);
        }
        if (schedule) {
            check(TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS));
        }
    }

    /** Sends what is pending once it is due; else looks again when it will be. */
    private void sendWhenDue() {
        List<SentryLogEvent> batch = null;
        long wait = 0;
        synchronized (pending) {
            if (pending.isEmpty()) {
                checkScheduled = false;
                return;
            }
            long now = System.nanoTime();
            long quietLeft = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS) - (now - lastAddedNanos);
            long latestLeft = TimeUnit.MILLISECONDS.toNanos(LATEST_MILLIS) - (now - firstPendingNanos);
            if (quietLeft <= 0 || latestLeft <= 0) {
                batch = take();
                checkScheduled = false;
            } else {
                wait = Math.min(quietLeft, latestLeft);
            }
        }
        if (batch != null) {
            handOver(batch);
        } else {
            check(wait);
        }
    }

    private void check(long afterNanos) {
        try {
            timer.schedule(this::sendWhenDue, afterNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            sendPending(); // closed: what is left goes now
        }
    }

    private void sendPending() {
        List<SentryLogEvent> batch;
        synchronized (pending) {
            batch = pending.isEmpty() ? null : take();
        }
        if (batch != null) {
            handOver(batch);
        }
    }

    /** Called holding the lock on {@code pending}: a flush then sees the logs either pending or handed over. */
    private List<SentryLogEvent> take() {
        List<SentryLogEvent> batch = new ArrayList<>(pending);
        pending.clear();
        handingOver.incrementAndGet();
        return batch;
    }

    private void handOver(List<SentryLogEvent> batch) {
        try {
            transport.accept(new SentryLogEvents(batch));
        } finally {
            handingOver.decrementAndGet();
        }
    }

    /**
     * Hands what is pending to the transport, and waits for a batch another thread is handing over: the
     * transport's own flush, which comes next, then waits for their delivery.
     */
    @Override
    public void flush(long timeoutMillis) {
        sendPending();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (handingOver.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
        }
    }

    @Override
    public void close(boolean isRestarting) {
        sendPending();
        timer.shutdownNow();
    }
}
