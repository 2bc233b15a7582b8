package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.KubernetesLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Workload labels as Sentry tags")
class LabelTagsTest {

    @Test
    @DisplayName("only the named labels the workload has, in the named order, keys made tag-safe")
    void namedLabels() {
        LabelTags tags = new LabelTags(List.of("app.kubernetes.io/name", "team", "tier"));

        assertThat(tags.of(Map.of("team", "payments", "app.kubernetes.io/name", "api", "other", "x")))
                .containsExactly(Map.entry("k8s.label.app.kubernetes.io_name", "api"),
                        Map.entry("k8s.label.team", "payments"));
    }

    @Test
    @DisplayName("a value is cut to a label's length")
    void longValue() {
        String value = new LabelTags(List.of("team")).of(Map.of("team", "x".repeat(200))).get("k8s.label.team");

        assertThat(value.length()).isLessThanOrEqualTo(KubernetesLimits.LABEL);
    }
}
