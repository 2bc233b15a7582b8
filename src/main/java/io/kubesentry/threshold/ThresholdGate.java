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

    /** The global overrides, then the workload's own (annotation kube-sentry-events/thresholds). */
    private java.util.Map<String, Integer> overrides(java.util.Map<String, Integer> workload) {
        java.util.Map<String, Integer> merged = new java.util.HashMap<>(thresholds.byReason());
        merged.putAll(workload);
        return merged;
    }

    public boolean isReached(CountedOccurrence counted) {
        var overrides = counted.occurrence().target().thresholds();
        boolean reached = overrides.isEmpty()
                ? thresholds.isReached(counted)
                : Thresholds.withOverrides(overrides(overrides)).isReached(counted);
        if (!reached) {
            metrics.belowThreshold();
        }
        return reached;
    }
}
