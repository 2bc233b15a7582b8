package io.kubesentry.camel;

import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.metrics.AgentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** {@link AgentMetrics} as Prometheus counters ({@code kube_sentry_*}) on the management port's /observe/metrics. */
final class MicrometerAgentMetrics implements AgentMetrics {

    private static final List<String> WATCHES = List.of("events", "pods");

    private final MeterRegistry registry;
    private final Counter redelivered;
    private final Counter deduplicated;
    private final Counter belowThreshold;
    private final Counter issues;
    private final Counter logs;
    private final Counter sendFailures;

    public MicrometerAgentMetrics(MeterRegistry registry, WatchStatus watches, Clock clock) {
        this.registry = registry;
        this.redelivered = registry.counter("kube.sentry.occurrences.redelivered");
        this.deduplicated = registry.counter("kube.sentry.occurrences.deduplicated");
        this.belowThreshold = registry.counter("kube.sentry.occurrences.below.threshold");
        this.issues = registry.counter("kube.sentry.issues.sent");
        this.logs = registry.counter("kube.sentry.logs.sent");
        this.sendFailures = registry.counter("kube.sentry.sentry.send.failures");
        for (String watch : WATCHES) {
            FunctionCounter.builder("kube.sentry.events.received", watches, w -> w.received(watch))
                    .tag("watch", watch).register(registry);
            FunctionCounter.builder("kube.sentry.watch.restarts", watches, w -> w.restarts(watch))
                    .tag("watch", watch).register(registry);
            Gauge.builder("kube.sentry.last.event.age.seconds", watches, w -> w.lastEvent(watch)
                            .map(at -> (double) Duration.between(at, clock.instant()).toSeconds()).orElse(Double.NaN))
                    .tag("watch", watch).register(registry);
        }
    }

    @Override
    public void dropped(String why) {
        registry.counter("kube.sentry.occurrences.filtered", "why", why).increment();
    }

    @Override
    public void redelivered() {
        redelivered.increment();
    }

    @Override
    public void deduplicated() {
        deduplicated.increment();
    }

    @Override
    public void belowThreshold() {
        belowThreshold.increment();
    }

    @Override
    public void issueSent() {
        issues.increment();
    }

    @Override
    public void logSent() {
        logs.increment();
    }

    @Override
    public void sentryFailed() {
        sendFailures.increment();
    }

    @Override
    public void sentryDropped(String reason, String category, long quantity) {
        // each loss is logged, with the running totals, by the Sentry client's DeliveryLedger
        registry.counter("kube.sentry.sentry.dropped", "reason", reason, "category", category).increment(quantity);
    }

    @Override
    public void forgotten(String cache) {
        registry.counter("kube.sentry.cache.forgotten", "cache", cache).increment();
    }

    @Override
    public void routesReloaded(String result) {
        registry.counter("kube.sentry.routes.reloads", "result", result).increment();
    }
}
