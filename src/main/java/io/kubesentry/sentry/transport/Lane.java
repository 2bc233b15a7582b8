package io.kubesentry.sentry.transport;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One kind of data on its way: its queue, in order, and how long it must wait (back-off or rate limit). */
final class Lane {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final String name;
    private final Set<String> categories;
    private final LinkedBlockingDeque<EnvelopeSpool.Pending> queue = new LinkedBlockingDeque<>();
    private volatile EnvelopeSpool.Pending attempting;
    private volatile long blockedUntil = System.nanoTime();
    private volatile String blockedBecause = "";

    /** @param categories the rate-limit categories ({@code X-Sentry-Rate-Limits}) that stop this lane */
    Lane(String name, Set<String> categories) {
        this.name = name;
        this.categories = categories;
    }

    String name() {
        return name;
    }

    /** Whether a limit of these categories stops this lane; one that names none stops all. */
    boolean limitedBy(Set<String> limited) {
        return limited.isEmpty() || limited.stream().anyMatch(categories::contains);
    }

    void offer(EnvelopeSpool.Pending pending) {
        queue.offer(pending);
    }

    /** The next envelope, now being attempted; null when none came within {@code millis}. */
    EnvelopeSpool.Pending next(long millis) throws InterruptedException {
        EnvelopeSpool.Pending pending = queue.poll(millis, TimeUnit.MILLISECONDS);
        attempting = pending;
        return pending;
    }

    /** The attempt is over: the envelope left. */
    void attempted() {
        attempting = null;
    }

    /** The attempt failed: the envelope goes first again once Sentry is back, to keep the order. */
    void putBack(EnvelopeSpool.Pending pending) {
        queue.offerFirst(pending);
        attempting = null;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Everything in this lane, the envelope being attempted first. */
    Stream<EnvelopeSpool.Pending> all() {
        EnvelopeSpool.Pending last = attempting;
        return Stream.concat(Stream.ofNullable(last), queue.stream());
    }

    /** Stops this lane for {@code wait} (never shortens a longer stop); says so once per limit. */
    synchronized void block(Duration wait, String why) {
        long until = System.nanoTime() + wait.toNanos();
        if (until - blockedUntil > 0) {
            if (!why.equals(blockedBecause) || blockedFor().isZero()) {
                LOG.warn("{}: {} wait {}s before Sentry is asked again; the other data goes on", why, name,
                        Math.max(1, wait.toSeconds()));
            }
            waitUntil(until);
            blockedBecause = why;
        }
    }

    /** Backs off for {@code pause}, silently (never shortens a longer stop). */
    synchronized void backOff(Duration pause) {
        waitUntil(System.nanoTime() + pause.toNanos());
    }

    private void waitUntil(long until) {
        if (until - blockedUntil > 0) {
            blockedUntil = until;
        }
    }

    Duration blockedFor() {
        long left = blockedUntil - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
