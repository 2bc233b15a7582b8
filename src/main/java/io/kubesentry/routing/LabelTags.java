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

    /** Each configured label and its tag key, worked out once: every routed occurrence asks for its tags. */
    private final Map<String, String> keysByLabel = new LinkedHashMap<>();

    LabelTags(List<String> labels) {
        labels.forEach(label -> keysByLabel.put(label, "k8s.label." + label.replaceAll("[^A-Za-z0-9_.:-]", "_")));
    }

    Map<String, String> of(Map<String, String> workloadLabels) {
        Map<String, String> tags = new LinkedHashMap<>();
        keysByLabel.forEach((label, key) -> {
            String value = workloadLabels.get(label);
            if (value != null) {
                tags.put(key, KubernetesLimits.label(value));
            }
        });
        return tags;
    }
}
