package io.kubesentry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The formatter-free reading of the API server's two forms agrees with the general RFC 3339 parser. */
class TimestampsProperties {

    @Property(tries = 2_000)
    @Label("Time and MicroTime as the API server writes them read as the instant they name")
    void apiServerForms(@ForAll("instants") Instant instant, @ForAll("fractionDigits") int digits) {
        Instant truncated = instant.truncatedTo(ChronoUnit.SECONDS);
        String text = digits == 0
                ? truncated.toString()
                : truncated.toString().replace("Z", "." + fraction(instant.getNano(), digits) + "Z");

        assertThat(Timestamps.parse(text)).isEqualTo(reference(text)).isNotNull();
    }

    @Property(tries = 3_000)
    @Label("any text near the form reads as the general parser reads it, or as unknown")
    void nearMisses(@ForAll("nearMisses") String text) {
        assertThat(Timestamps.parse(text)).isEqualTo(reference(text));
    }

    @Example
    @Label("impossible dates and leap seconds are unknown; offsets other than Z and an empty fraction still read")
    void edges() {
        assertThat(Timestamps.parse("2026-02-30T10:00:00Z")).isNull();
        assertThat(Timestamps.parse("2026-11-25T23:59:60Z")).isNull();
        assertThat(Timestamps.parse("2026-11-25T24:00:00Z")).isNull();
        assertThat(Timestamps.parse("2026-11-25T10:00:00.Z")).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(Timestamps.parse("2026-11-25T10:00:00.1234567890Z")).isNull();
        assertThat(Timestamps.parse("2026-11-25T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(Timestamps.parse("2026-11-25T10:00:00.5Z")).isEqualTo(Instant.parse("2026-11-25T10:00:00.500Z"));
        assertThat(Timestamps.parse("2026-11-25t10:00:00z")).isEqualTo(reference("2026-11-25t10:00:00z"));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }

    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '5', '9', '-', ':', 'T', 'Z', '.', '+', 'z', ' ');
        Arbitrary<String> mutated = Arbitraries.of("2026-11-25T10:00:00Z", "2026-11-25T10:00:00.123456Z",
                "1999-02-28T23:59:59.9Z").flatMap(base -> Arbitraries.integers().between(0, base.length() - 1)
                .flatMap(position -> chars.map(c -> base.substring(0, position) + c + base.substring(position + 1))));
        return Arbitraries.oneOf(mutated, chars.list().ofMinSize(19).ofMaxSize(32)
                .map(list -> list.stream().map(String::valueOf).reduce("", String::concat)));
    }

    private static String fraction(int nanos, int digits) {
        return String.format("%09d", nanos).substring(0, digits);
    }

    /** What the general parser makes of the text, under the same four-digit-year rule. */
    private static Instant reference(String text) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(text);
            return time.getYear() >= 0 && time.getYear() <= 9999 ? time.toInstant() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
