package io.kubesentry.camel.watch;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready once every Kubernetes watch is established; not ready when one has been down longer than the grace
 * (a reconnect within it is no outage worth reporting).
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
        status.states().forEach((name, state) -> {
            builder.detail(name + ".up", state.up());
            builder.detail(name + ".since", state.since().toString());
            builder.detail(name + ".restarts", status.restarts(name));
        });
        boolean starting = status.states().values().stream().anyMatch(state -> !state.up()
                && "starting".equals(state.lastError()));
        Map<String, WatchStatus.State> down = status.downLongerThan(grace);
        if (starting || !down.isEmpty()) {
            builder.message(starting ? "waiting for the first watch" : "watch down: " + down.keySet());
            builder.down();
        } else {
            builder.up();
        }
    }
}
