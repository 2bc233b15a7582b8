package io.kubesentry.sentry.transport;

import io.sentry.ISerializer;
import io.sentry.SentryEnvelope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes and gzips envelopes, on a thread of its own as they come: the queue then holds bytes, as a
 * storm's logs would otherwise wait as the SDK's objects, ten times their size, for as long as Sentry is behind.
 */
final class Encoder {

    private static final Logger LOG = LoggerFactory.getLogger(Encoder.class);

    private final ISerializer serializer;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread encoder = new Thread(runnable, "sentry-encoder");
        encoder.setDaemon(true);
        return encoder;
    });

    Encoder(ISerializer serializer) {
        this.serializer = serializer;
    }

    /** The envelope as gzipped bytes, or null when it cannot be serialized. */
    GzippedEnvelope gzip(SentryEnvelope envelope) {
        try {
            return GzippedEnvelope.of(envelope, serializer);
        } catch (Exception e) {
            LOG.warn("Cannot serialize an envelope for Sentry ({}); it is dropped", e.getMessage());
            return null;
        }
    }

    /** Runs {@code encoding} on the encoder's thread; false when it is closing. */
    boolean later(Runnable encoding) {
        try {
            thread.execute(encoding);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Finishes what it holds, waiting a second at most. */
    void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
