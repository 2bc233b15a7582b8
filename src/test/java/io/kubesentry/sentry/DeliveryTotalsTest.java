package io.kubesentry.sentry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What reached Sentry and what was lost")
class DeliveryTotalsTest {

    private static Map<String, Long> inOrder(Object... reasonsAndCounts) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < reasonsAndCounts.length; i += 2) {
            counts.put((String) reasonsAndCounts[i], (Long) reasonsAndCounts[i + 1]);
        }
        return counts;
    }

    @Test
    @DisplayName("the summary names the reasons sorted, however they were counted; sums merge them")
    void summary() {
        DeliveryTotals a = new DeliveryTotals(12, 900, inOrder("shutdown", 1L, "queue_overflow", 3L), Map.of(), 0);
        DeliveryTotals b = new DeliveryTotals(1, 0, inOrder("send_error", 2L, "queue_overflow", 1L),
                inOrder("ratelimit_backoff", 4L), 2);

        assertThat(a.summary()).isEqualTo("issues 12 delivered, 4 lost (queue_overflow 3, shutdown 1); "
                + "logs 900 delivered, 0 lost");
        assertThat(a.plus(b).summary()).isEqualTo("issues 13 delivered, 7 lost (queue_overflow 4, send_error 2, "
                + "shutdown 1); logs 900 delivered, 4 lost (ratelimit_backoff 4); 2 envelopes still waiting");
    }

    @Test
    @DisplayName("incomplete when anything was lost or still waits")
    void incomplete() {
        assertThat(DeliveryTotals.NONE.incomplete()).isFalse();
        assertThat(new DeliveryTotals(5, 5, Map.of(), Map.of(), 0).incomplete()).isFalse();
        assertThat(new DeliveryTotals(0, 0, Map.of("shutdown", 1L), Map.of(), 0).incomplete()).isTrue();
        assertThat(new DeliveryTotals(0, 0, Map.of(), Map.of("send_error", 1L), 0).incomplete()).isTrue();
        assertThat(new DeliveryTotals(0, 0, Map.of(), Map.of(), 1).incomplete()).isTrue();
    }
}
