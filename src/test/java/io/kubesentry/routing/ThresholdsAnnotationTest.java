package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A workload's thresholds annotation")
class ThresholdsAnnotationTest {

    private final ThresholdsAnnotation thresholds = new ThresholdsAnnotation();

    @Test
    @DisplayName("reasons are spelled as Kubernetes does, counts kept in order")
    void spelling() {
        assertThat(thresholds.parse("unhealthy:20, BACKOFF:5, MyOwnReason:3", "Deployment/api"))
                .containsExactly(Map.entry("Unhealthy", 20), Map.entry("BackOff", 5),
                        Map.entry("MyOwnReason", 3));
    }

    @Test
    @DisplayName("pairs without a count of at least 1 are dropped, the good ones kept")
    void badPairs() {
        assertThat(thresholds.parse("Unhealthy, BackOff:x, Evicted:0, OOMKilled:2:3, Failed:-1, Killing:7",
                "Deployment/api")).containsOnlyKeys("Killing");
    }

    @Test
    @DisplayName("no annotation, or a blank one, overrides nothing")
    void none() {
        assertThat(thresholds.parse(null, "Deployment/api")).isEmpty();
        assertThat(thresholds.parse("  ", "Deployment/api")).isEmpty();
    }
}
