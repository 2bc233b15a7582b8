package io.kubesentry.camel.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Whether each watch is established, since when, and how often it had to be started again. */
public final class WatchStatus {

    /** One watch's state. {@code since} is when it last went up or down. */
    public record State(boolean up, Instant since, String lastError) {
    }

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
        states.putIfAbsent(watch, new State(false, clock.instant(), "starting"));
    }

    public void up(String watch) {
        states.put(watch, new State(true, clock.instant(), ""));
    }

    public void down(String watch, String error) {
        states.compute(watch, (name, old) -> old != null && !old.up()
                ? new State(false, old.since(), error)
                : new State(false, clock.instant(), error));
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

    /** The watches that have been down for longer than {@code grace}: empty when the agent is ready. */
    public Map<String, State> downLongerThan(Duration grace) {
        Instant limit = clock.instant().minus(grace);
        Map<String, State> down = new ConcurrentHashMap<>();
        states.forEach((name, state) -> {
            if (!state.up() && !state.since().isAfter(limit)) {
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
