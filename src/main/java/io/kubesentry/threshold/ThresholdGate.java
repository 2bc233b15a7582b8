package io.kubesentry.threshold;

import io.kubesentry.metrics.AgentMetrics;

/** The threshold aggregate's completion predicate: has this object's count reached its reason's threshold? */
public final class ThresholdGate {

    private final Thresholds thresholds;
    private final AgentMetrics metrics;

    public ThresholdGate(Thresholds thresholds, AgentMetrics metrics) {
        this.thresholds = thresholds;
        this.metrics = metrics;
    }

    public boolean isReached(CountedOccurrence counted) {
        boolean reached = thresholds.isReached(counted);
        if (!reached) {
            metrics.belowThreshold();
        }
        return reached;
    }
}
