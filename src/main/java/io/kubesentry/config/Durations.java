package io.kubesentry.config;

import io.kubesentry.core.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way operators write them: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, or ISO-8601 {@code PT5M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    static final String FORMAT = "expected a positive duration such as 30s, 5m, 1h, 1h30m or ISO-8601 PT5M";

    private Durations() {
    }

    public static Duration parse(String variable, String text) {
        String trimmed = text.trim();
        Duration duration = trimmed.toUpperCase().startsWith("P") ? iso(trimmed) : shortForm(trimmed);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new ConfigException(variable, "'" + text + "' is not a duration; " + FORMAT);
        }
        return duration;
    }

    /** A duration as the variables take it: 5m, 1h30m, 30s. */
    public static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration iso(String text) {
        try {
            return Duration.parse(text.toUpperCase());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration shortForm(String text) {
        Matcher m = SHORT.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return null;
        }
        try {
            return Duration.ofDays(number(m.group(1)))
                    .plusHours(number(m.group(2)))
                    .plusMinutes(number(m.group(3)))
                    .plusSeconds(number(m.group(4)))
                    .plusMillis(number(m.group(5)));
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
