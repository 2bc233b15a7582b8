package io.kubesentry.sentry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.ISerializer;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Envelopes kept on disk for the next start")
class EnvelopeSpoolTest {

    private final ISerializer serializer = new SentryOptions().getSerializer();

    @Test
    @DisplayName("what is saved is read back as the same gzipped bytes, oldest first, with its category")
    void roundTrip(@TempDir Path dir) throws Exception {
        EnvelopeSpool spool = new EnvelopeSpool(dir, serializer);
        GzippedEnvelope first = GzippedEnvelope.of(envelope("first"), serializer);
        GzippedEnvelope second = GzippedEnvelope.of(envelope("second"), serializer);
        spool.save(first);
        spool.save(second);

        List<EnvelopeSpool.Pending> loaded = new ArrayList<>();
        new EnvelopeSpool(dir, serializer).load(loaded::add);

        assertThat(loaded).extracting(EnvelopeSpool.Pending::body)
                .containsExactly(first.body(), second.body());
        assertThat(loaded).extracting(pending -> pending.contents()).containsOnly(new EnvelopeContents("event", 1));
        assertThat(gunzip(loaded.get(1).body())).contains("\"formatted\":\"second\"");
    }

    @Test
    @DisplayName("the files, holding the DSN's public key, are the owner's alone")
    void ownerOnly(@TempDir Path dir) throws Exception {
        // When
        Path file = new EnvelopeSpool(dir, serializer).save(GzippedEnvelope.of(envelope("secret"), serializer));

        // Then
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    @DisplayName("a file an earlier version wrote (the envelope not gzipped) is read and gzipped for sending")
    void earlierPlainFormat(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        serializer.serialize(envelope("from before the upgrade"), plain);
        Files.write(dir.resolve("0000001764662400000-000001.envelope"), plain.toByteArray());

        List<EnvelopeSpool.Pending> loaded = new ArrayList<>();
        new EnvelopeSpool(dir, serializer).load(loaded::add);

        assertThat(loaded).hasSize(1);
        assertThat(gunzip(loaded.get(0).body())).contains("from before the upgrade");
    }

    @Test
    @DisplayName("an unreadable file is set aside, not sent and not read again")
    void unreadableSetAside(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("0000001764662400000-000001.envelope"), "not an envelope\n");

        assertThat(new EnvelopeSpool(dir, serializer).load(pending -> { })).isZero();

        assertThat(Files.exists(dir.resolve("0000001764662400000-000001.envelope.unreadable"))).isTrue();
        assertThat(new EnvelopeSpool(dir, serializer).load(pending -> { })).isZero();
    }

    private SentryEnvelope envelope(String message) throws Exception {
        SentryEvent event = new SentryEvent();
        event.setMessage(new Message());
        event.getMessage().setFormatted(message);
        return SentryEnvelope.from(serializer, event, null);
    }

    private static String gunzip(byte[] body) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
