package io.kubesentry.routing;

import io.kubesentry.core.KubernetesLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload labels KUBE_SENTRY_LABEL_TAGS names, as Sentry tags: {@code k8s.label.<label>} with the
 * characters a tag key cannot hold replaced by {@code _}, the value cut to a label's length.
 */
final class LabelTags {

    private final List<String> labels;

    LabelTags(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    Map<String, String> of(Map<String, String> workloadLabels) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String label : labels) {
            String value = workloadLabels.get(label);
            if (value != null) {
                tags.put("k8s.label." + label.replaceAll("[^A-Za-z0-9_.:-]", "_"), KubernetesLimits.label(value));
            }
        }
        return tags;
    }
}
