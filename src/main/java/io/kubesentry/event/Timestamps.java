package io.kubesentry.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads the RFC 3339 times Kubernetes writes; anything else is unknown (null), never an error. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(text);
            // RFC 3339 years have four digits: "+999999999-12-31T23:59:59Z" parses, but java.util.Date cannot hold it
            return time.getYear() >= 0 && time.getYear() <= 9999 ? time.toInstant() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
