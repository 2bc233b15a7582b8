package io.kubesentry.threshold;

import io.kubesentry.metrics.AgentMetrics;

/**
 * The threshold aggregate's completion predicate: has this object's count reached its reason's threshold?
 * A workload's own threshold (annotation {@code kube-sentry-events/thresholds}) wins over the global one.
 */
public final class ThresholdGate {

    private final Thresholds thresholds;
    private final AgentMetrics metrics;

    public ThresholdGate(Thresholds thresholds, AgentMetrics metrics) {
        this.thresholds = thresholds;
        this.metrics = metrics;
    }

    public boolean isReached(CountedOccurrence counted) {
        String reason = counted.occurrence().reason();
        int threshold = counted.occurrence().target().thresholds().getOrDefault(reason, thresholds.of(reason));
        boolean reached = counted.count() >= threshold;
        if (!reached) {
            metrics.belowThreshold();
        }
        return reached;
    }
}
