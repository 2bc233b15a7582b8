package io.kubesentry.sentry.transport;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The thread that sends one lane's envelopes in order, each until Sentry takes it: after a failed attempt the
 * lane waits for the time Sentry asked for, or backs off from {@link #FIRST_RETRY} up to {@link #LAST_RETRY}.
 */
final class LaneSender {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final Lane lane;
    private final EnvelopeSender sender;
    private final Consumer<EnvelopeSpool.Pending> done;
    private final Thread thread;
    private volatile boolean closing;

    /** @param done told of each envelope that left: sent, or refused for good */
    LaneSender(Lane lane, EnvelopeSender sender, Consumer<EnvelopeSpool.Pending> done) {
        this.lane = lane;
        this.sender = sender;
        this.done = done;
        this.thread = new Thread(this::sendLoop, "sentry-sender-" + lane.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Sends what the lane still holds unless it must wait; then stops. */
    void close() {
        closing = true;
    }

    /** Stops at once. */
    void stop() {
        thread.interrupt();
    }

    private void sendLoop() {
        Duration retry = FIRST_RETRY;
        while (!closing || !lane.isEmpty()) {
            try {
                Duration blocked = lane.blockedFor();
                if (!blocked.isZero()) {
                    if (closing) {
                        return; // shutting down: the flush before close had its chance
                    }
                    Thread.sleep(Math.max(1, Math.min(blocked.toMillis(), 200)));
                    continue;
                }
                EnvelopeSpool.Pending pending = lane.next(200);
                if (pending == null) {
                    continue;
                }
                Duration wait = sender.attempt(pending, lane);
                if (wait == null) {
                    lane.attempted();
                    done.accept(pending);
                    retry = FIRST_RETRY;
                    continue;
                }
                lane.putBack(pending);
                lane.backOff(wait.isZero() ? retry : wait);
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
