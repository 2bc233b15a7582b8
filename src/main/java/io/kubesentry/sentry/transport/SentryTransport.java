package io.kubesentry.sentry.transport;

import io.sentry.SentryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The transport's one door: fits a Sentry client's options with the transport that keeps data until Sentry
 * takes it ({@link RetryingTransport}, on disk too when given a directory) and the log batcher a storm needs
 * ({@link PromptLogBatcher}). What becomes of the data is told to the client's {@link Outcomes}.
 */
public final class SentryTransport {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Logs waiting in memory, gzipped (some 70,000): past it they wait on disk only, or are dropped and counted. */
    static final long LOG_MEMORY_BYTES = 4L << 20;

    private SentryTransport() {
    }

    /**
     * @param envelopes   how many envelopes wait for Sentry at most
     * @param spool       the directory that keeps them across restarts, or empty for memory only
     * @param waitForRoom a full queue makes the sender wait instead of dropping: a replay has all the time it
     *                    needs, a watch thread has not
     */
    public static void install(SentryOptions options, int envelopes, Optional<Path> spool, boolean waitForRoom,
            Outcomes outcomes) {
        // a replay has flushed until its deadline before it closes: what is left then is lost, not waited for
        options.setShutdownTimeoutMillis(waitForRoom ? 100 : 5_000);
        options.getLogs().setLoggerBatchProcessorFactory((sdkOptions, client) -> new PromptLogBatcher(client));
        options.setOnDiscard((reason, category, quantity) ->
                outcomes.lost(reason.getReason(), category.getCategory(), quantity == null ? 1 : quantity));
        EnvelopeSpool files = spool.map(dir -> new EnvelopeSpool(dir, options.getSerializer())).orElse(null);
        options.setTransportFactory((sdkOptions, request) -> new RetryingTransport(sdkOptions, request,
                new Backlog(envelopes, LOG_MEMORY_BYTES), files, outcomes, REQUEST_TIMEOUT, waitForRoom));
    }

    /** What becomes of the data, told from the transport's threads. */
    public interface Outcomes {

        /** Sentry took these. {@code category}: the envelope item type or the SDK's data category. */
        void delivered(String category, long quantity);

        /** Lost for good: why ({@code queue_overflow}, {@code send_error}, {@code shutdown}, ...), which kind, how many. */
        void lost(String reason, String category, long quantity);

        /** An attempt to send failed; it is retried. */
        void failedAttempt();

        /** How to read how many envelopes wait in the transport. */
        void waiting(LongSupplier envelopes);
    }
}
