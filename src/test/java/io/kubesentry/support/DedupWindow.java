package io.kubesentry.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until a dedup window has passed since an issue was raised. The agent remembers the incident (and a
 * crash loop's root cause) before it builds the issue, so once the window has passed since the issue's own
 * timestamp, both are forgotten.
 */
public final class DedupWindow {

    /** The agent's caches run on the monotonic clock, the issue's timestamp on the wall clock. */
    private static final Duration CLOCKS = Duration.ofMillis(100);

    private DedupWindow() {
    }

    public static void awaitPassedSince(JsonNode issue, Duration window) {
        Instant raised = Instant.parse(issue.path("timestamp").asText());
        Instant passed = raised.plus(window).plus(CLOCKS);
        await().atMost(window.plusSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().isAfter(passed));
    }
}
