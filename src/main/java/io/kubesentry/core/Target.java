package io.kubesentry.core;

import java.util.Map;

/**
 * What the routing decided for one occurrence: its Sentry destination, whether its workload opted out, the
 * workload's own threshold overrides and the tags taken from its labels.
 */
public record Target(Destination destination, boolean ignored, Map<String, Integer> thresholds,
        Map<String, String> tags) {

    public static final Target DEFAULT = new Target(Destination.DEFAULT, false, Map.of(), Map.of());

    public Target {
        thresholds = Map.copyOf(thresholds);
        tags = Map.copyOf(tags);
    }
}
