package io.kubesentry.sentry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubesentry.sentry.DeliveryLedger;
import io.kubesentry.sentry.DeliveryTotals;
import io.kubesentry.sentry.LedgerOutcomes;
import io.kubesentry.support.SentryRecorder;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeHeader;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryEvent;
import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEvents;
import io.sentry.SentryLogLevel;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryId;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The retrying transport, posting to a recording Sentry on 127.0.0.1")
class RetryingTransportTest {

    private final DeliveryLedger ledger = new DeliveryLedger("Sentry", Clock.systemUTC());

    @Test
    @DisplayName("an attempt that times out is retried, counted as a failure, and the envelope arrives")
    void timeoutRetried() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry answers the first request only after the transport gave up on it
            sentry.slowNext(1, Duration.ofSeconds(2));
            AtomicInteger failures = new AtomicInteger();
            List<String> drops = new CopyOnWriteArrayList<>();
            RetryingTransport transport = transport(sentry, failures, drops, Duration.ofMillis(300));

            // When
            transport.send(envelope("timed out once"), null);

            // Then
            await().atMost(Duration.ofSeconds(15)).until(() -> sentry.issues().size() >= 1);
            assertThat(failures.get()).isGreaterThanOrEqualTo(1);
            assertThat(sentry.requests()).isGreaterThanOrEqualTo(2);
            assertThat(drops).isEmpty();
            transport.close();
        }
    }

    @Test
    @DisplayName("a full queue drops the newest envelope and says so")
    void fullQueueCounted() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry is down, the queue holds two
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            List<String> drops = new CopyOnWriteArrayList<>();
            RetryingTransport transport = transport(sentry, new AtomicInteger(), drops, Duration.ofSeconds(5));

            // When
            for (int i = 0; i < 5; i++) {
                transport.send(envelope("event " + i), null);
            }

            // Then: two wait (one of them perhaps being tried), the rest is reported dropped
            assertThat(drops).containsExactly("queue_overflow event 1", "queue_overflow event 1",
                    "queue_overflow event 1");
            transport.close(false);
        }
    }

    @Test
    @DisplayName("a lost envelope of logs counts as its logs, when the queue is full and at shutdown")
    void lostLogsCountedOneByOne() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry is down, the queue holds two, and no buffer directory keeps them
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            List<String> drops = new CopyOnWriteArrayList<>();
            RetryingTransport transport = transport(sentry, new AtomicInteger(), drops, Duration.ofSeconds(5));

            // When
            transport.send(logs(3), null);
            transport.send(envelope("event"), null);
            transport.send(logs(100), null);
            transport.close();

            // Then
            assertThat(drops).containsExactlyInAnyOrder("queue_overflow log 100", "shutdown log 3",
                    "shutdown event 1");
        }
    }

    @Test
    @DisplayName("logs Sentry rate-limits (X-Sentry-Rate-Limits: log_item) wait for the limit; issues go on at once")
    void logsLimitedIssuesGoOn() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry limits logs for a minute
            sentry.limit("log", 429, Map.of("X-Sentry-Rate-Limits", "60:log_item:organization:log_quota"));
            List<String> drops = new CopyOnWriteArrayList<>();
            RetryingTransport transport = transport(sentry, null, SentryTransport.LOG_MEMORY_BYTES, drops);

            // When
            transport.send(logs(10), null);
            await().atMost(Duration.ofSeconds(5)).until(() -> sentry.refused() == 1);
            transport.send(envelope("an issue"), null);

            // Then: the issue arrives, and the logs are not asked about again within their minute
            await().atMost(Duration.ofSeconds(3)).until(() -> sentry.issues().size() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> sentry.refused() == 1);
            assertThat(drops).isEmpty();
            assertThat(ledger.totals().issuesDelivered()).isEqualTo(1);
            assertThat(ledger.totals().waiting()).isEqualTo(1);
            transport.close();
        }
    }

    @Test
    @DisplayName("a Retry-After longer than the back-off, as seconds or as an HTTP date, is waited for in full")
    void retryAfterWaitedFor() throws Exception {
        for (boolean date : List.of(false, true)) {
            String retryAfter = date ? java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(4)) : "3";
            try (SentryRecorder sentry = new SentryRecorder()) {
                // Given: Sentry asks for a pause far longer than the first back-off (1 s)
                sentry.failNextWith(1, 429, Map.of("Retry-After", retryAfter));
                RetryingTransport transport = transport(sentry, null, SentryTransport.LOG_MEMORY_BYTES,
                        new CopyOnWriteArrayList<>());

                // When
                transport.send(envelope("after a pause"), null);

                // Then
                await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 1);
                List<java.time.Instant> times = sentry.requestTimes();
                assertThat(Duration.between(times.get(0), times.get(1))).as(retryAfter)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
                transport.close();
            }
        }
    }

    @Test
    @DisplayName("what Sentry took and what was lost is accounted: issues and logs, by reason")
    void deliveryAccounted() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            RetryingTransport transport = transport(sentry, null, SentryTransport.LOG_MEMORY_BYTES,
                    new CopyOnWriteArrayList<>());
            transport.send(logs(100), null);
            transport.send(envelope("one"), null);
            transport.send(envelope("two"), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> sentry.issues().size() == 2 && sentry.logs().size() == 100);
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            transport.send(logs(7), null);
            transport.close();

            DeliveryTotals totals = ledger.totals();
            assertThat(totals.issuesDelivered()).isEqualTo(2);
            assertThat(totals.logsDelivered()).isEqualTo(100);
            assertThat(totals.logsLost()).containsExactly(Map.entry("shutdown", 7L));
            assertThat(totals.summary()).isEqualTo("issues 2 delivered, 0 lost; logs 100 delivered, 7 lost (shutdown 7)");
        }
    }

    @Test
    @DisplayName("past their bound in memory, logs are dropped and counted, while issues still wait")
    void logsPastTheirMemoryBoundDropped() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry is down, and memory holds one envelope of 100 logs but not two
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            List<String> drops = new CopyOnWriteArrayList<>();
            RetryingTransport transport = transport(sentry, null, oneLogEnvelopeAndAHalf(), drops);

            // When
            transport.send(logs(100), null);
            transport.send(logs(100), null);
            transport.send(envelope("an issue"), null);

            // Then
            await().atMost(Duration.ofSeconds(10)).until(() -> drops.size() == 1);
            assertThat(drops).containsExactly("queue_overflow log 100");
            sentry.failNext(0, 503, null);
            await().atMost(Duration.ofSeconds(15)).until(() -> sentry.issues().size() == 1 && sentry.logs().size() == 100);
            transport.close();
        }
    }

    @Test
    @DisplayName("with a buffer directory, logs past their bound in memory wait on disk only, and all arrive")
    void logsPastTheirMemoryBoundWaitOnDisk(@TempDir Path buffer) throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry is down, and memory holds one envelope of 100 logs but not two
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            List<String> drops = new CopyOnWriteArrayList<>();
            EnvelopeSpool spool = new EnvelopeSpool(buffer, new SentryOptions().getSerializer());
            RetryingTransport transport = transport(sentry, spool, oneLogEnvelopeAndAHalf(), drops);

            // When
            transport.send(logs(100), null);
            transport.send(logs(100), null);
            transport.send(logs(100), null);
            transport.send(envelope("an issue"), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> fileCount(buffer) == 4);
            assertThat(transport.bytesInMemory()).isLessThanOrEqualTo(oneLogEnvelopeAndAHalf() + 4_096);
            sentry.failNext(0, 503, null);

            // Then
            await().atMost(Duration.ofSeconds(15)).until(() -> sentry.issues().size() == 1 && sentry.logs().size() == 300);
            assertThat(drops).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> fileCount(buffer) == 0);
            transport.close();
        }
    }

    private static long oneLogEnvelopeAndAHalf() throws Exception {
        return GzippedEnvelope.of(logs(100), new SentryOptions().getSerializer()).body().length * 3L / 2;
    }

    private static long fileCount(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    @DisplayName("while Sentry is down an envelope waits as gzipped bytes: the SDK's objects are let go at once")
    void waitsAsBytes() throws Exception {
        try (SentryRecorder sentry = new SentryRecorder()) {
            // Given: Sentry is down
            sentry.failNext(Integer.MAX_VALUE, 503, null);
            RetryingTransport transport = transport(sentry, new AtomicInteger(), new CopyOnWriteArrayList<>(),
                    Duration.ofSeconds(5));

            // When
            WeakReference<SentryEnvelope> queued = sendAndForget(transport, "waiting");

            // Then: nothing holds the envelope any more, while it is still retried
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return queued.get() == null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !transport.isHealthy());
            sentry.failNext(0, 503, null);
            await().atMost(Duration.ofSeconds(15)).until(() -> sentry.issues().size() == 1);
            assertThat(sentry.issues().get(0).path("message").path("formatted").asText()).isEqualTo("waiting");
            transport.close();
        }
    }

    private static WeakReference<SentryEnvelope> sendAndForget(RetryingTransport transport, String message)
            throws Exception {
        SentryEnvelope envelope = envelope(message);
        transport.send(envelope, null);
        return new WeakReference<>(envelope);
    }

    private RetryingTransport transport(SentryRecorder sentry, AtomicInteger failures, List<String> drops,
            Duration timeout) {
        SentryOptions options = new SentryOptions();
        options.setDsn(sentry.dsn());
        options.setShutdownTimeoutMillis(500);
        java.net.URI dsn = java.net.URI.create(sentry.dsn());
        String url = "http://" + dsn.getHost() + ":" + dsn.getPort() + "/api/1/envelope/";
        return new RetryingTransport(options, new RequestDetails(url, Map.of()),
                new Backlog(2, SentryTransport.LOG_MEMORY_BYTES), null, outcomes(drops, failures::incrementAndGet),
                timeout, false);
    }

    private RetryingTransport transport(SentryRecorder sentry, EnvelopeSpool spool, long logMemoryBytes,
            List<String> drops) {
        SentryOptions options = new SentryOptions();
        options.setDsn(sentry.dsn());
        options.setShutdownTimeoutMillis(500);
        java.net.URI dsn = java.net.URI.create(sentry.dsn());
        String url = "http://" + dsn.getHost() + ":" + dsn.getPort() + "/api/1/envelope/";
        return new RetryingTransport(options, new RequestDetails(url, Map.of()), new Backlog(100, logMemoryBytes),
                spool, outcomes(drops, () -> { }), Duration.ofSeconds(5), false);
    }

    /** Each loss as "reason category quantity", each failed attempt counted, and the ledger told as the agent's is. */
    private SentryTransport.Outcomes outcomes(List<String> drops, Runnable failed) {
        return new LedgerOutcomes(ledger, (reason, category, quantity) -> drops.add(reason + " " + category + " "
                + quantity), failed);
    }

    private static SentryEnvelope logs(int count) {
        List<SentryLogEvent> logs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logs.add(new SentryLogEvent(new SentryId(), 1_764_662_400.0 + i, "log " + i, SentryLogLevel.WARN));
        }
        SentryOptions options = new SentryOptions();
        return new SentryEnvelope(new SentryEnvelopeHeader(),
                List.of(SentryEnvelopeItem.fromLogs(options.getSerializer(), new SentryLogEvents(logs))));
    }

    private static SentryEnvelope envelope(String message) throws Exception {
        SentryEvent event = new SentryEvent();
        event.setMessage(new io.sentry.protocol.Message());
        event.getMessage().setFormatted(message);
        return SentryEnvelope.from(new SentryOptions().getSerializer(), event, null);
    }
}
