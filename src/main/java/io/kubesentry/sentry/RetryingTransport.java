package io.kubesentry.sentry;

import io.sentry.Hint;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryOptions;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's transport, replaced: envelopes wait in a bounded queue and are sent in order by one thread, which
 * retries 5xx answers, time-outs and 429s (after their {@code Retry-After}) with a growing back-off until
 * Sentry takes them. The SDK's own transport drops what fails or is rate-limited; an alerting agent must not.
 * Only a full queue or an envelope Sentry refuses for good (other 4xx) loses data, and that is reported to the
 * {@link SentryPublisher.DropListener}.
 *
 * <p>A second thread serializes and gzips each envelope as it comes, so the queue holds bytes: a storm's logs
 * would otherwise wait as the SDK's objects, ten times their size, for as long as the sender is behind.
 *
 * <p>Issues and logs wait in two lanes, each sent by its own thread with its own back-off, so that logs Sentry
 * limits never hold back issues. {@code X-Sentry-Rate-Limits} (on any answer) stops the lanes of the categories
 * it names for as long as it says, and a {@code Retry-After} (seconds or an HTTP date) longer than the back-off
 * is waited for in full. What Sentry took and what was lost is kept in the {@link DeliveryLedger}.
 */
final class RetryingTransport implements ITransport {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingTransport.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofMinutes(1);
    private static final Set<Integer> RETRIED = Set.of(408, 429, 500, 502, 503, 504);

    private final SentryOptions options;
    private final RequestDetails request;
    private final SentryPublisher.DropListener dropped;
    private final Runnable failed;
    private final Duration requestTimeout;
    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger(); // taken, and not yet sent nor dropped
    private final ExecutorService encoder;
    private final Lane issues = new Lane("issues", Set.of("error", "default", "transaction", "session", "attachment"));
    private final Lane logs = new Lane("logs", Set.of("log_item", "log"));
    private final EnvelopeSpool spool;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final RateLimiter rateLimiter;
    private final DeliveryLedger ledger;
    private volatile boolean closed;
    private volatile boolean outage;

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Logs waiting in memory, gzipped (some 70,000): past it they wait on disk only, or are dropped and counted. */
    static final long LOG_MEMORY_BYTES = 4L << 20;

    private final long logMemoryBytes;
    private final boolean waitForRoom;
    private final AtomicLong bytesInMemory = new AtomicLong();

    /** An agent's transport (a full queue drops), as the tests build it, with a ledger of its own. */
    RetryingTransport(SentryOptions options, RequestDetails request, int capacity, EnvelopeSpool spool,
            SentryPublisher.DropListener dropped, Runnable failed, Duration requestTimeout, long logMemoryBytes) {
        this(options, request, capacity, spool, dropped, failed, requestTimeout, logMemoryBytes, false,
                new DeliveryLedger());
    }

    /**
     * @param spool       keeps queued envelopes on disk across restarts, or null for memory only
     * @param waitForRoom a full queue (or logs at their memory bound) makes {@link #send} wait instead of drop:
     *                    a replay has all the time it needs, a watch thread has not
     * @param ledger      told of what Sentry took and what was lost
     */
    RetryingTransport(SentryOptions options, RequestDetails request, int capacity, EnvelopeSpool spool,
            SentryPublisher.DropListener dropped, Runnable failed, Duration requestTimeout, long logMemoryBytes,
            boolean waitForRoom, DeliveryLedger ledger) {
        this.waitForRoom = waitForRoom;
        this.ledger = ledger;
        ledger.waiting(waiting::get);
        this.requestTimeout = requestTimeout;
        this.logMemoryBytes = logMemoryBytes;
        this.failed = failed;
        this.options = options;
        this.request = request;
        this.dropped = dropped;
        this.spool = spool;
        this.capacity = capacity;
        if (spool != null) {
            int earlier = spool.load(pending -> lane(pending.contents()).queue.offer(held(pending)));
            waiting.addAndGet(earlier);
            if (earlier > 0) {
                LOG.info("{} envelopes an earlier run could not send are sent first", earlier);
            }
        }
        this.rateLimiter = new RateLimiter(options);
        this.encoder = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sentry-encoder");
            thread.setDaemon(true);
            return thread;
        });
        issues.sender.start();
        logs.sender.start();
    }

    private Lane lane(EnvelopeContents contents) {
        return "log".equals(contents.category()) ? logs : issues;
    }

    @Override
    public void send(SentryEnvelope envelope, Hint hint) {
        if (waitForRoom) {
            sendWhenRoom(envelope);
            return;
        }
        if (closed || !takeRoom()) {
            dropped("queue_overflow", EnvelopeContents.of(envelope));
            return;
        }
        try {
            encoder.execute(() -> encode(envelope));
        } catch (RejectedExecutionException e) { // closing
            waiting.decrementAndGet();
            dropped("shutdown", EnvelopeContents.of(envelope));
        }
    }

    /** Waits for room in the queue, and for logs within their memory bound; encodes in the caller's thread. */
    private void sendWhenRoom(SentryEnvelope envelope) {
        if (!await(this::takeRoom)) {
            dropped("shutdown", EnvelopeContents.of(envelope));
            return;
        }
        GzippedEnvelope bytes = gzippedOrDropped(envelope);
        if (bytes == null) {
            return;
        }
        boolean log = "log".equals(bytes.contents().category());
        if (log && !await(() -> bytesInMemory.get() == 0
                || bytesInMemory.get() + bytes.body().length <= logMemoryBytes)) {
            done(null);
            dropped("shutdown", bytes.contents());
            return;
        }
        bytesInMemory.addAndGet(bytes.body().length);
        lane(bytes.contents()).queue.offer(new EnvelopeSpool.Pending(bytes, spool == null ? null : spool.save(bytes)));
    }

    /** False when the transport closes first. */
    private boolean await(java.util.function.BooleanSupplier room) {
        while (!room.getAsBoolean()) {
            if (closed) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    private boolean takeRoom() {
        int now;
        do {
            now = waiting.get();
            if (now >= capacity) {
                return false;
            }
        } while (!waiting.compareAndSet(now, now + 1));
        return true;
    }

    /** The envelope as gzipped bytes, or null when it cannot be serialized: then it is dropped and counted. */
    private GzippedEnvelope gzippedOrDropped(SentryEnvelope envelope) {
        try {
            return GzippedEnvelope.of(envelope, options.getSerializer());
        } catch (Exception e) {
            LOG.warn("Cannot serialize an envelope for Sentry ({}); it is dropped", e.getMessage());
            done(null);
            dropped("send_error", EnvelopeContents.of(envelope));
            return null;
        }
    }

    private void encode(SentryEnvelope envelope) {
        GzippedEnvelope bytes = gzippedOrDropped(envelope);
        if (bytes == null) {
            return;
        }
        EnvelopeSpool.Pending pending = held(new EnvelopeSpool.Pending(bytes, spool == null ? null : spool.save(bytes)));
        if (pending == null) {
            done(null);
            dropped("queue_overflow", bytes.contents());
            return;
        }
        lane(pending.contents()).queue.offer(pending);
    }

    /**
     * The envelope as it waits: in memory while the logs there stay within their bound (issues always: the
     * queue's length bounds them), else on disk only, or null when it has no file to wait in.
     */
    private EnvelopeSpool.Pending held(EnvelopeSpool.Pending pending) {
        boolean log = "log".equals(pending.contents().category());
        if (log && bytesInMemory.get() + pending.body().length > logMemoryBytes) {
            return pending.file() == null ? null : pending.onDiskOnly();
        }
        bytesInMemory.addAndGet(pending.body().length);
        return pending;
    }

    private void dropped(String reason, EnvelopeContents contents) {
        ledger.lost(reason, contents.category(), contents.quantity());
        dropped.dropped(reason, contents.category(), contents.quantity());
    }

    /** The gzipped bytes waiting in memory. */
    long bytesInMemory() {
        return bytesInMemory.get();
    }

    private void done(EnvelopeSpool.Pending pending) {
        if (pending != null && pending.inMemory()) {
            bytesInMemory.addAndGet(-pending.body().length);
        }
        if (spool != null && pending != null) {
            spool.delete(pending.file());
        }
        waiting.decrementAndGet();
    }

    /** Null when the envelope is done with (sent, or refused for good); else how long to wait (zero: back off). */
    private Duration attempt(EnvelopeSpool.Pending envelope, Lane lane) {
        byte[] body;
        try {
            body = envelope.inMemory() ? envelope.body() : spool.read(envelope.file());
        } catch (IOException e) {
            LOG.warn("Cannot read {} back ({}); it is dropped", envelope.file(), e.getMessage());
            dropped("send_error", envelope.contents());
            return null;
        }
        try {
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(request.getUrl().toString()))
                    .timeout(requestTimeout)
                    .header("Content-Encoding", "gzip")
                    .header("Content-Type", "application/x-sentry-envelope")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            request.getHeaders().forEach(post::header);
            HttpResponse<Void> response = http.send(post.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            response.headers().firstValue("X-Sentry-Rate-Limits").ifPresent(this::rateLimited);
            if (status / 100 == 2) {
                recovered();
                ledger.delivered(envelope.contents().category(), envelope.contents().quantity());
                return null;
            }
            if (RETRIED.contains(status)) {
                failing("HTTP " + status);
                Duration retryAfter = response.headers().firstValue("Retry-After").map(RetryAfter::parse)
                        .orElse(Duration.ZERO);
                Duration limited = lane.blockedFor();
                return retryAfter.compareTo(limited) > 0 ? retryAfter : limited;
            }
            LOG.warn("Sentry refused an envelope with HTTP {}; it is dropped", status);
            dropped("send_error", envelope.contents());
            return null;
        } catch (IOException e) {
            failing(e.getClass().getSimpleName() + ": " + e.getMessage());
            return Duration.ZERO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
    }

    /**
     * {@code X-Sentry-Rate-Limits: <seconds>:<categories>:<scope>[:<reason>...], ...}: each limit stops the lanes
     * of its categories (all lanes when it names none) for its seconds.
     */
    private void rateLimited(String header) {
        for (String limit : header.split(",")) {
            String[] parts = limit.trim().split(":", -1);
            if (parts.length < 2 || parts[0].isBlank()) {
                continue;
            }
            Duration wait;
            try {
                wait = Duration.ofMillis((long) (Double.parseDouble(parts[0].trim()) * 1000));
            } catch (NumberFormatException e) {
                continue;
            }
            Set<String> categories = parts[1].isBlank() ? Set.of() : Set.of(parts[1].trim().split(";"));
            for (Lane lane : List.of(issues, logs)) {
                if (categories.isEmpty() || categories.stream().anyMatch(lane.categories::contains)) {
                    lane.block(wait, "Sentry limits " + (categories.isEmpty() ? "all data" : String.join(", ", categories))
                            + (parts.length > 2 && !parts[2].isBlank() ? " (" + parts[2] + ")" : ""));
                }
            }
        }
    }

    private void failing(String why) {
        failed.run();
        if (!outage) {
            outage = true;
            LOG.warn("Sentry is not taking data ({}); {} envelopes wait and are retried", why, waiting.get());
        }
    }

    private void recovered() {
        if (outage) {
            outage = false;
            LOG.info("Sentry takes data again; {} envelopes still waiting", waiting.get() - 1);
        }
    }

    /** What Sentry took and what was lost, through this transport. */
    DeliveryLedger ledger() {
        return ledger;
    }

    /** Waits until every queued envelope has been sent, at most {@code timeoutMillis}. */
    @Override
    public void flush(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (waiting.get() > 0 && System.nanoTime() < deadline) {
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
        return !outage && waiting.get() < capacity;
    }

    @Override
    public RateLimiter getRateLimiter() {
        return rateLimiter; // never told of limits: envelopes wait here instead of being dropped upstream
    }

    @Override
    public void close(boolean isRestarting) {
        flush(options.getShutdownTimeoutMillis());
        closed = true;
        encoder.shutdown();
        try {
            encoder.awaitTermination(1, TimeUnit.SECONDS); // what it still holds goes to the queue (and disk)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = waiting.get();
        if (left > 0) {
            LOG.warn(spool != null ? "Shutting down with {} envelopes Sentry did not take: kept on disk for the next start"
                    : "Shutting down with {} envelopes Sentry did not take", left);
            for (Lane lane : List.of(issues, logs)) {
                EnvelopeSpool.Pending last = lane.attempting;
                if (last != null && last.file() == null) {
                    waiting.decrementAndGet();
                    dropped("shutdown", last.contents());
                }
                lane.queue.stream().filter(pending -> pending.file() == null).forEach(pending -> {
                    waiting.decrementAndGet();
                    dropped("shutdown", pending.contents()); // no file keeps them
                });
            }
        }
        issues.sender.interrupt();
        logs.sender.interrupt();
    }

    @Override
    public void close() {
        close(false);
    }

    /** One kind of data on its way: its queue, its sender thread, its back-off and its rate limit. */
    private final class Lane {

        private final String name;
        private final Set<String> categories;
        private final LinkedBlockingDeque<EnvelopeSpool.Pending> queue = new LinkedBlockingDeque<>();
        private final Thread sender;
        private volatile EnvelopeSpool.Pending attempting;
        private volatile long blockedUntil = System.nanoTime();
        private volatile String blockedBecause = "";

        private Lane(String name, Set<String> categories) {
            this.name = name;
            this.categories = categories;
            this.sender = new Thread(this::sendLoop, "sentry-sender-" + name);
            this.sender.setDaemon(true);
        }

        /** Stops this lane for {@code wait} (never shortens a longer stop); says so once per limit. */
        private synchronized void block(Duration wait, String why) {
            long until = System.nanoTime() + wait.toNanos();
            if (until - blockedUntil > 0) {
                if (!why.equals(blockedBecause) || blockedFor().isZero()) {
                    LOG.warn("{}: {} wait {}s before Sentry is asked again; the other data goes on", why, name,
                            Math.max(1, wait.toSeconds()));
                }
                blockedUntil = until;
                blockedBecause = why;
            }
        }

        private Duration blockedFor() {
            long left = blockedUntil - System.nanoTime();
            return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
        }

        private void sendLoop() {
            Duration retry = FIRST_RETRY;
            while (!closed || !queue.isEmpty()) {
                try {
                    Duration blocked = blockedFor();
                    if (!blocked.isZero()) {
                        if (closed) {
                            return; // shutting down: the flush before close had its chance
                        }
                        Thread.sleep(Math.max(1, Math.min(blocked.toMillis(), 200)));
                        continue;
                    }
                    EnvelopeSpool.Pending pending = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (pending == null) {
                        continue;
                    }
                    attempting = pending;
                    Duration wait = attempt(pending, this);
                    if (wait == null) {
                        attempting = null;
                        done(pending);
                        retry = FIRST_RETRY;
                        continue;
                    }
                    queue.offerFirst(pending); // keep the order: it goes out first once Sentry is back
                    attempting = null;
                    Duration pause = wait.isZero() ? retry : wait;
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                    synchronized (this) {
                        long until = System.nanoTime() + pause.toNanos();
                        if (until - blockedUntil > 0) {
                            blockedUntil = until;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
