package io.kubesentry.camel.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether each watch is established, since when, and how often it had to be started again. A watch is up only
 * once the API server answered it, and until it ends; a stopped watch is down.
 */
public final class WatchStatus {

    /**
     * One watch's state. {@code since} is when it last went up or down; {@code wasUp} whether it has been up
     * since its consumer started (a watch that never was is not excused by the readiness grace).
     */
    public record State(boolean up, Instant since, String lastError, boolean wasUp) {
    }

    private volatile boolean standby;

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> restarts = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastEvents = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

    public WatchStatus(Clock clock) {
        this.clock = clock;
    }

    /** A watch that will start: down until it is established. */
    public void expect(String watch) {
        // a consumer started again (route reload, leadership) keeps its record: the grace covers the restart
        states.compute(watch, (name, old) -> old == null
                ? new State(false, clock.instant(), "starting", false)
                : new State(false, old.up() ? clock.instant() : old.since(), "starting", old.up() || old.wasUp()));
    }

    /** The API server answered this watch (its list returned, or its watch connected). */
    public void up(String watch) {
        states.compute(watch, (name, old) -> old != null && old.up() ? old : new State(true, clock.instant(), "", true));
    }

    /** Down (again): {@code since} stays when it was down already, so a watch that keeps failing never looks new. */
    public void down(String watch, String error) {
        states.compute(watch, (name, old) -> old != null && !old.up()
                ? new State(false, old.since(), error, old.wasUp())
                : new State(false, clock.instant(), error, old != null));
    }

    /** With leader election, a replica that does not lead runs no watches and needs none to be ready. */
    public void standby(boolean standby) {
        this.standby = standby;
    }

    public boolean standby() {
        return standby;
    }

    public void restarted(String watch) {
        restarts.computeIfAbsent(watch, name -> new AtomicLong()).incrementAndGet();
    }

    public void receivedOne(String watch) {
        lastEvents.put(watch, clock.instant());
        received.computeIfAbsent(watch, name -> new AtomicLong()).incrementAndGet();
    }

    public long received(String watch) {
        AtomicLong count = received.get(watch);
        return count == null ? 0 : count.get();
    }

    /**
     * The watches that keep the agent from being ready: each one that never came up, and each one down for
     * longer than {@code grace}. Empty when the agent is ready.
     */
    public Map<String, State> downLongerThan(Duration grace) {
        Instant limit = clock.instant().minus(grace);
        Map<String, State> down = new ConcurrentHashMap<>();
        states.forEach((name, state) -> {
            if (!state.up() && (!state.wasUp() || !state.since().isAfter(limit))) {
                down.put(name, state);
            }
        });
        return down;
    }

    public Map<String, State> states() {
        return Map.copyOf(states);
    }

    public long restarts(String watch) {
        AtomicLong count = restarts.get(watch);
        return count == null ? 0 : count.get();
    }

    public Optional<Instant> lastEvent(String watch) {
        return Optional.ofNullable(lastEvents.get(watch));
    }
}
