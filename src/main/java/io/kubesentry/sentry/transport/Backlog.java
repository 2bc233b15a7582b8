package io.kubesentry.sentry.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelopes taken and neither sent nor dropped yet: at most {@code capacity} of them, and the logs among
 * them in memory within {@code logMemoryBytes} (issues always wait in memory: their number bounds them).
 */
final class Backlog {

    private final int capacity;
    private final long logMemoryBytes;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong bytesInMemory = new AtomicLong();

    Backlog(int capacity, long logMemoryBytes) {
        this.capacity = capacity;
        this.logMemoryBytes = logMemoryBytes;
    }

    /** Counts one more envelope in, unless the backlog is full. */
    boolean takeRoom() {
        int now;
        do {
            now = waiting.get();
            if (now >= capacity) {
                return false;
            }
        } while (!waiting.compareAndSet(now, now + 1));
        return true;
    }

    /** Counts earlier envelopes in, past the capacity if need be: what a spool hands over at the start. */
    void add(int envelopes) {
        waiting.addAndGet(envelopes);
    }

    /** One envelope less: it was lost before it waited. */
    void release() {
        waiting.decrementAndGet();
    }

    /**
     * The envelope as it waits: in memory while the logs there stay within their bound, else on disk only,
     * or null when it has no file to wait in.
     */
    EnvelopeSpool.Pending held(EnvelopeSpool.Pending pending) {
        if (pending.contents().isLog() && bytesInMemory.get() + pending.body().length > logMemoryBytes) {
            return pending.file() == null ? null : pending.onDiskOnly();
        }
        bytesInMemory.addAndGet(pending.body().length);
        return pending;
    }

    /** Room in memory for a sender that waits for it: issues always, logs within their bound (or when none wait). */
    boolean hasMemoryFor(GzippedEnvelope envelope) {
        long now = bytesInMemory.get();
        return !envelope.contents().isLog() || now == 0 || now + envelope.body().length <= logMemoryBytes;
    }

    /** Keeps the envelope in memory, whatever the bound: the caller waited for room. */
    void keep(EnvelopeSpool.Pending pending) {
        bytesInMemory.addAndGet(pending.body().length);
    }

    /** The envelope left: sent, or dropped for good. */
    void done(EnvelopeSpool.Pending pending) {
        if (pending.inMemory()) {
            bytesInMemory.addAndGet(-pending.body().length);
        }
        waiting.decrementAndGet();
    }

    int waiting() {
        return waiting.get();
    }

    boolean isFull() {
        return waiting.get() >= capacity;
    }

    long bytesInMemory() {
        return bytesInMemory.get();
    }
}
