package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.routing.MetadataLookup.Metadata;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {

    @Test
    void keepsTheLabelsAndOnlyTheAgentsOwnAnnotations() {
        Map<String, String> annotations = new HashMap<>();
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", "{\"apiVersion\":\"apps/v1\"" + "x".repeat(5_000) + "}");
        annotations.put("deployment.kubernetes.io/revision", "7");
        annotations.put(RoutingAnnotations.PREFIX + "project", "payments");
        annotations.put(RoutingAnnotations.PREFIX + "ignore", "false");

        Metadata metadata = new Metadata(Map.of("team", "payments"), annotations);

        assertThat(metadata.annotations()).containsOnlyKeys(RoutingAnnotations.PREFIX + "project",
                RoutingAnnotations.PREFIX + "ignore");
        assertThat(metadata.labels()).containsExactlyEntriesOf(Map.of("team", "payments"));
    }

    @Test
    void noAnnotationsAtAllAreNone() {
        assertThat(new Metadata(null, null)).isEqualTo(Metadata.NONE);
    }
}
