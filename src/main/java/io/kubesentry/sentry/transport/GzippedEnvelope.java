package io.kubesentry.sentry.transport;

import io.sentry.ISerializer;
import io.sentry.SentryEnvelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An envelope as it goes over the wire: serialized and gzipped once, as soon as it is queued. Waiting for
 * Sentry as a few kilobytes, not as the SDK's objects, is what keeps a storm's backlog small.
 */
record GzippedEnvelope(byte[] body, EnvelopeContents contents) {

    static GzippedEnvelope of(SentryEnvelope envelope, ISerializer serializer) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4_096);
        try (OutputStream out = new FastestGzip(bytes)) {
            serializer.serialize(envelope, out);
        }
        return new GzippedEnvelope(bytes.toByteArray(), EnvelopeContents.of(envelope));
    }

    /** Reads back what {@link #body()} holds (or, from an earlier version's files, the plain envelope). */
    static GzippedEnvelope read(byte[] stored, ISerializer serializer) throws Exception {
        boolean gzipped = stored.length > 1 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b;
        try (InputStream in = gzipped ? new GZIPInputStream(new ByteArrayInputStream(stored))
                : new ByteArrayInputStream(stored)) {
            SentryEnvelope envelope = serializer.deserializeEnvelope(in);
            if (envelope == null) {
                throw new IOException("not a Sentry envelope");
            }
            return gzipped ? new GzippedEnvelope(stored, EnvelopeContents.of(envelope)) : of(envelope, serializer);
        }
    }

    /** Logs are repetitive JSON: the fastest level still shrinks them fifteenfold, for a third of the CPU. */
    private static final class FastestGzip extends GZIPOutputStream {
        FastestGzip(OutputStream out) throws IOException {
            super(out, 8_192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
