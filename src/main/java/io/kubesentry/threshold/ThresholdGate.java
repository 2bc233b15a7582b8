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
        boolean reached = counted.count() >= threshold(counted);
        if (!reached) {
            metrics.belowThreshold();
        }
        return reached;
    }

    /** The count this object's reason needs: the workload's own, else the global one. */
    public int threshold(CountedOccurrence counted) {
        String reason = counted.occurrence().reason();
        return counted.occurrence().target().thresholds().getOrDefault(reason, thresholds.of(reason));
    }
}
