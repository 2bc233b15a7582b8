package io.kubesentry.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.metrics.AgentMetrics;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdsTest {

    private static final Instant SEEN = Instant.parse("2024-03-01T10:00:00Z");

    /** An occurrence of {@code reason} that has happened {@code eventCount} times (its Event's count). */
    private static Occurrence occurrence(String reason, long eventCount) {
        ClusterEvent event = new ClusterEvent("uid-1", "shop",
                new InvolvedObject("Pod", "shop", "api-7d9f8b6c5-x2k4q", "pod-uid", ""), "Counted", "message",
                "Warning", eventCount, SEEN, SEEN, "node-a", "kubelet");
        return new Occurrence(event, reason, new Workload("Deployment", "api"), "node-a");
    }

    @Nested
    @DisplayName("with the default thresholds")
    class Defaults {

        private final Thresholds thresholds = Thresholds.defaults();

        @ParameterizedTest(name = "{0} counted {1} -> reached: {2}")
        @CsvSource({
            "OOMKilled, 1, true",
            "CrashLoopBackOff, 1, true",
            "FailedScheduling, 1, true",
            "Evicted, 1, true",
            "FailedMount, 1, true",
            "Unhealthy, 1, false",
            "Unhealthy, 4, false",
            "Unhealthy, 5, true",
            "Unhealthy, 9, true",
            "BackOff, 2, false",
            "BackOff, 3, true",
            "ImagePullBackOff, 2, false",
            "ImagePullBackOff, 3, true",
            "CreateContainerConfigError, 1, true",
            "SomeReasonNobodyNamed, 1, true"})
        @DisplayName("alerts once the count reaches the reason's threshold")
        void reached(String reason, long count, boolean expected) {
            // Given
            CountedOccurrence counted = CountedOccurrence.first(occurrence(reason, count));

            // When
            boolean reached = new ThresholdGate(thresholds, AgentMetrics.none()).isReached(counted);

            // Then
            assertThat(reached).isEqualTo(expected);
        }

        @Test
        @DisplayName("a reason without an entry has threshold 1")
        void unknownReason() {
            // Given
            String reason = "FailedCreatePodSandBox";

            // When
            int threshold = thresholds.of(reason);

            // Then
            assertThat(threshold).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("with overrides")
    class Overrides {

        private final Thresholds thresholds = Thresholds.withOverrides(Map.of("Unhealthy", 10, "OOMKilled", 2));

        @ParameterizedTest(name = "{0} counted {1} -> reached: {2}")
        @CsvSource({
            "Unhealthy, 5, false",
            "Unhealthy, 9, false",
            "Unhealthy, 10, true",
            "OOMKilled, 1, false",
            "OOMKilled, 2, true",
            "BackOff, 2, false",
            "BackOff, 3, true",
            "Evicted, 1, true",
            "SomeReasonNobodyNamed, 1, true"})
        @DisplayName("uses the override where there is one and the default elsewhere")
        void reached(String reason, long count, boolean expected) {
            // Given
            CountedOccurrence counted = CountedOccurrence.first(occurrence(reason, count));

            // When
            boolean reached = new ThresholdGate(thresholds, AgentMetrics.none()).isReached(counted);

            // Then
            assertThat(reached).isEqualTo(expected);
        }

        @Test
        @DisplayName("leaves the defaults themselves untouched")
        void defaultsUntouched() {
            // Given the overrides above

            // When
            int unhealthy = Thresholds.defaults().of("Unhealthy");

            // Then
            assertThat(thresholds.of("Unhealthy")).isEqualTo(10);
            assertThat(unhealthy).isEqualTo(5);
            assertThat(Thresholds.DEFAULTS).hasSize(8);
        }
    }
}
