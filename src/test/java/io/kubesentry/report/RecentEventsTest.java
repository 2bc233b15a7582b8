package io.kubesentry.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    private final RecentEvents recent = new RecentEvents(10, Duration.ofHours(1), 100);

    @Test
    void keepsTheLastTenOfAWorkloadOldestFirst() {
        for (int i = 1; i <= 12; i++) {
            recent.remember(occurrence("message " + i));
        }

        assertThat(recent.of(occurrence("now"))).extracting(RecentEvents.Recent::message)
                .containsExactly("message 3", "message 4", "message 5", "message 6", "message 7", "message 8",
                        "message 9", "message 10", "message 11", "message 12");
    }

    @Test
    void keepsAtMostAKilobyteOfAMessage() {
        recent.remember(occurrence("x".repeat(8_000)));
        recent.remember(occurrence("short"));

        assertThat(recent.of(occurrence("now"))).extracting(RecentEvents.Recent::message).satisfiesExactly(
                cut -> assertThat(cut).hasSize(RecentEvents.MESSAGE_LENGTH).endsWith("x…"),
                whole -> assertThat(whole).isEqualTo("short"));
    }

    @Test
    void neverCutsACharacterInTwo() {
        String message = "x".repeat(RecentEvents.MESSAGE_LENGTH - 2) + "😀" + "y".repeat(100);

        String kept = RecentEvents.shortened(message);

        assertThat(kept).endsWith("x…").hasSize(RecentEvents.MESSAGE_LENGTH - 1);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 2))).isFalse();
    }

    private static Occurrence occurrence(String message) {
        InvolvedObject pod = new InvolvedObject("Pod", "shop", "api-7d9f8b6c5-x2k4q", "uid", "");
        ClusterEvent event = new ClusterEvent("e1", "shop", pod, "BackOff", message, "Warning", 1,
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"), "node-1", "kubelet");
        return new Occurrence(event, "BackOff", new Workload("Deployment", "api"), "node-1");
    }
}
