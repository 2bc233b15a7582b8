package io.kubesentry.camel.watch;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready only while every Kubernetes watch the routes started is established (the API server answered it). A
 * watch that was up and went down is excused for the grace (a reconnect within it is no outage worth
 * reporting); one that never came up is not. A stopped watch is down. With leader election, a standby replica
 * runs no watch and is ready.
 */
public final class WatchReadinessCheck extends AbstractHealthCheck {

    private final WatchStatus status;
    private final Duration grace;

    public WatchReadinessCheck(WatchStatus status, Duration grace) {
        super("kube-sentry", "kubernetes-watch");
        this.status = status;
        this.grace = grace;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, WatchStatus.State> states = status.states();
        states.forEach((name, state) -> {
            builder.detail(name + ".up", state.up());
            builder.detail(name + ".since", state.since().toString());
            builder.detail(name + ".restarts", status.restarts(name));
            if (!state.up() && !state.lastError().isEmpty()) {
                builder.detail(name + ".error", state.lastError());
            }
        });
        if (status.standby()) {
            builder.detail("standby", true);
            builder.up();
            return;
        }
        Map<String, WatchStatus.State> down = new TreeMap<>(status.downLongerThan(grace));
        if (states.isEmpty()) {
            builder.message("waiting for the first watch");
            builder.down();
        } else if (!down.isEmpty()) {
            boolean starting = down.values().stream().allMatch(state -> "starting".equals(state.lastError()));
            builder.message(starting ? "waiting for the first watch: " + down.keySet() : "watch down: " + down.keySet());
            builder.down();
        } else {
            builder.up();
        }
    }
}
