package io.kubesentry.threshold;

import static io.kubesentry.classify.Reasons.*;

import java.util.HashMap;
import java.util.Map;

/**
 * How many times a failure must have happened to one object ({@link Happenings}: failed pulls, restarts,
 * probe failures; not signals) before it becomes a Sentry issue. Reasons without an entry alert on the first.
 */
public record Thresholds(Map<String, Integer> byReason) {

    public static final Map<String, Integer> DEFAULTS = Map.of(
            OOM_KILLED, 1, CRASH_LOOP_BACK_OFF, 1, FAILED_SCHEDULING, 1, EVICTED, 1, FAILED_MOUNT, 1,
            UNHEALTHY, 5, BACK_OFF, 3, IMAGE_PULL_BACK_OFF, 3);

    public Thresholds {
        byReason = Map.copyOf(byReason);
    }

    public static Thresholds defaults() {
        return new Thresholds(DEFAULTS);
    }

    /** The defaults with {@code overrides} laid over them. */
    public static Thresholds withOverrides(Map<String, Integer> overrides) {
        Map<String, Integer> merged = new HashMap<>(DEFAULTS);
        merged.putAll(overrides);
        return new Thresholds(merged);
    }

    public int of(String reason) {
        return byReason.getOrDefault(reason, 1);
    }
}
