package io.kubesentry.routing;

import static io.kubesentry.routing.RoutingAnnotations.THRESHOLDS;

import io.kubesentry.classify.KnownReasons;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A workload's own thresholds, {@code kube-sentry-events/thresholds: "Unhealthy:20,BackOff:5"}: the reasons
 * spelled as Kubernetes does, each count at least 1. A bad pair is dropped (and warned about once); the good
 * ones are kept.
 */
final class ThresholdsAnnotation {

    private final WarnOnce warnings = new WarnOnce(LoggerFactory.getLogger(ThresholdsAnnotation.class));

    /** @param where the annotated object, as the warning names it */
    Map<String, Integer> parse(String text, String where) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, Integer> overrides = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":");
            try {
                int count = Integer.parseInt(parts[1].trim());
                if (parts.length == 2 && count >= 1) {
                    overrides.put(KnownReasons.spelled(parts[0].trim()), count);
                    continue;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            warnings.warn(where + THRESHOLDS, "Ignored '" + pair.trim() + "' in the " + THRESHOLDS
                    + " annotation of " + where + "; expected Reason:count such as Unhealthy:20");
        }
        return overrides;
    }
}
