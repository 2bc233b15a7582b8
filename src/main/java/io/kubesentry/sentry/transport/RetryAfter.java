package io.kubesentry.sentry.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** An HTTP {@code Retry-After}: delay-seconds, or an HTTP date; zero when it is neither (the back-off decides). */
final class RetryAfter {

    private RetryAfter() {
    }

    static Duration parse(String value) {
        return parse(value, Clock.systemUTC());
    }

    static Duration parse(String value, Clock clock) {
        String text = value.trim();
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(text)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() || until.isZero() ? Duration.ofSeconds(1) : until;
            } catch (DateTimeParseException notADate) {
                return Duration.ZERO;
            }
        }
    }
}
