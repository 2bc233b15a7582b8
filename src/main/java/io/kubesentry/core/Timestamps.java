package io.kubesentry.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the RFC 3339 times Kubernetes writes; anything else is unknown (null), never an error. */
public final class Timestamps {

    private static final int SECONDS_LENGTH = "2026-11-25T10:00:00".length();

    private Timestamps() {
    }

    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant utc = utc(text);
        return utc != null ? utc : general(text);
    }

    /**
     * The two forms the API server writes, {@code 2026-11-25T10:00:00Z} and {@code 2026-11-25T10:00:00.123456Z}
     * (MicroTime), read without a formatter: several per Event, and a formatter parse costs as much as the rest
     * of the mapping. Null when the text is in any other form.
     */
    private static Instant utc(String text) {
        int length = text.length();
        if (length < SECONDS_LENGTH + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (length > SECONDS_LENGTH + 1) {
            int digits = length - SECONDS_LENGTH - 2;
            if (text.charAt(SECONDS_LENGTH) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = digits(text, SECONDS_LENGTH + 1, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * (int) Math.pow(10, 9 - digits);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // the general parser decides
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Instant general(String text) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(text);
            // RFC 3339 years have four digits: "+999999999-12-31T23:59:59Z" parses, but java.util.Date cannot hold it
            return time.getYear() >= 0 && time.getYear() <= 9999 ? time.toInstant() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
