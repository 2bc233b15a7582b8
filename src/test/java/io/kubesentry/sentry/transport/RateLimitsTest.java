package io.kubesentry.sentry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("X-Sentry-Rate-Limits, read into limits per category")
class RateLimitsTest {

    @Test
    @DisplayName("each limit has its seconds, its categories (none: all data) and its scope; unreadable ones are left out")
    void parsed() {
        // When
        RateLimits limits = RateLimits.parse("60:log_item:organization:log_quota, 2.5::key, x:error:project, 5");

        // Then
        assertThat(limits.limits()).containsExactly(
                new RateLimits.Limit(Duration.ofSeconds(60), Set.of("log_item"), "organization"),
                new RateLimits.Limit(Duration.ofMillis(2_500), Set.of(), "key"));
        assertThat(limits.limits()).extracting(RateLimits.Limit::why)
                .containsExactly("Sentry limits log_item (organization)", "Sentry limits all data (key)");
    }
}
