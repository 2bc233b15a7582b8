package io.kubesentry.sentry.transport;

import io.sentry.Hint;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryOptions;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's transport, replaced: envelopes wait in a bounded {@link Backlog} and are sent in order, each retried
 * until Sentry takes it. The SDK's own transport drops what fails or is rate-limited; an alerting agent must
 * not. Only a full backlog or an envelope Sentry refuses for good (other 4xx) loses data, and that is told to
 * the {@link SentryTransport.Outcomes}.
 *
 * <p>Each envelope is gzipped by the {@link Encoder} as it comes, kept in the {@link EnvelopeSpool} when there is
 * one, and waits in its {@link Lane} (issues or logs) for the lane's {@link LaneSender}; the
 * {@link EnvelopeSender} posts it.
 */
final class RetryingTransport implements ITransport {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingTransport.class);

    private final SentryOptions options;
    private final Backlog backlog;
    private final EnvelopeSpool spool;
    private final SentryTransport.Outcomes outcomes;
    private final boolean waitForRoom;
    private final Encoder encoder;
    private final Lanes lanes = new Lanes();
    private final EnvelopeSender envelopeSender;
    private final List<LaneSender> senders;
    private final RateLimiter rateLimiter;
    private volatile boolean closed;

    /**
     * @param spool       keeps queued envelopes on disk across restarts, or null for memory only
     * @param waitForRoom a full backlog (or logs at their memory bound) makes {@link #send} wait instead of drop
     */
    RetryingTransport(SentryOptions options, RequestDetails request, Backlog backlog, EnvelopeSpool spool,
            SentryTransport.Outcomes outcomes, Duration requestTimeout, boolean waitForRoom) {
        this.options = options;
        this.backlog = backlog;
        this.spool = spool;
        this.outcomes = outcomes;
        this.waitForRoom = waitForRoom;
        outcomes.waiting(backlog::waiting);
        if (spool != null) {
            int earlier = spool.load(pending -> lanes.of(pending.contents()).offer(backlog.held(pending)));
            backlog.add(earlier);
            if (earlier > 0) {
                LOG.info("{} envelopes an earlier run could not send are sent first", earlier);
            }
        }
        this.rateLimiter = new RateLimiter(options);
        this.encoder = new Encoder(options.getSerializer());
        this.envelopeSender = new EnvelopeSender(request, requestTimeout, spool, lanes, outcomes, backlog::waiting);
        this.senders = lanes.both().stream().map(lane -> new LaneSender(lane, envelopeSender, this::done)).toList();
        senders.forEach(LaneSender::start);
    }

    @Override
    public void send(SentryEnvelope envelope, Hint hint) {
        if (waitForRoom) {
            sendWhenRoom(envelope);
        } else if (closed || !backlog.takeRoom()) {
            lost("queue_overflow", EnvelopeContents.of(envelope));
        } else if (!encoder.later(() -> enqueue(envelope))) {
            backlog.release();
            lost("shutdown", EnvelopeContents.of(envelope));
        }
    }

    /** On the encoder's thread: logs past their memory bound wait on disk only, or are dropped without a spool. */
    private void enqueue(SentryEnvelope envelope) {
        GzippedEnvelope bytes = gzipped(envelope);
        if (bytes == null) {
            return;
        }
        EnvelopeSpool.Pending pending = backlog.held(spooled(bytes));
        if (pending == null) {
            backlog.release();
            lost("queue_overflow", bytes.contents());
            return;
        }
        lanes.of(pending.contents()).offer(pending);
    }

    /** Waits for room in the backlog, and for logs within their memory bound; encodes in the caller's thread. */
    private void sendWhenRoom(SentryEnvelope envelope) {
        if (!await(backlog::takeRoom)) {
            lost("shutdown", EnvelopeContents.of(envelope));
            return;
        }
        GzippedEnvelope bytes = gzipped(envelope);
        if (bytes == null) {
            return;
        }
        if (!await(() -> backlog.hasMemoryFor(bytes))) {
            backlog.release();
            lost("shutdown", bytes.contents());
            return;
        }
        EnvelopeSpool.Pending pending = spooled(bytes);
        backlog.keep(pending);
        lanes.of(pending.contents()).offer(pending);
    }

    /** False when the transport closes first. */
    private boolean await(BooleanSupplier room) {
        while (!room.getAsBoolean()) {
            if (closed) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** The envelope as gzipped bytes, or null when it cannot be serialized: then it is dropped and counted. */
    private GzippedEnvelope gzipped(SentryEnvelope envelope) {
        GzippedEnvelope bytes = encoder.gzip(envelope);
        if (bytes == null) {
            backlog.release();
            lost("send_error", EnvelopeContents.of(envelope));
        }
        return bytes;
    }

    /** The envelope, kept in a file too when there is a spool (and the file could be written). */
    private EnvelopeSpool.Pending spooled(GzippedEnvelope bytes) {
        return new EnvelopeSpool.Pending(bytes, spool == null ? null : spool.save(bytes));
    }

    private void done(EnvelopeSpool.Pending pending) {
        backlog.done(pending);
        if (spool != null) {
            spool.delete(pending.file());
        }
    }

    private void lost(String reason, EnvelopeContents contents) {
        outcomes.lost(reason, contents.category(), contents.quantity());
    }

    /** The gzipped bytes waiting in memory. */
    long bytesInMemory() {
        return backlog.bytesInMemory();
    }

    /** Waits until every queued envelope has been sent, at most {@code timeoutMillis}. */
    @Override
    public void flush(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (backlog.waiting() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isHealthy() {
        return !envelopeSender.inOutage() && !backlog.isFull();
    }

    @Override
    public RateLimiter getRateLimiter() {
        return rateLimiter; // never told of limits: envelopes wait here instead of being dropped upstream
    }

    @Override
    public void close(boolean isRestarting) {
        flush(options.getShutdownTimeoutMillis());
        closed = true;
        senders.forEach(LaneSender::close);
        encoder.close(); // what it still holds goes to the lanes (and disk)
        int left = backlog.waiting();
        if (left > 0) {
            LOG.warn(spool != null ? "Shutting down with {} envelopes Sentry did not take: kept on disk for the next start"
                    : "Shutting down with {} envelopes Sentry did not take", left);
            lanes.both().stream().flatMap(Lane::all).filter(pending -> pending.file() == null).forEach(pending -> {
                backlog.release();
                lost("shutdown", pending.contents()); // no file keeps them
            });
        }
        senders.forEach(LaneSender::stop);
    }

    @Override
    public void close() {
        close(false);
    }
}
