package io.kubesentry.sentry.transport;

import io.sentry.RequestDetails;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one envelope to Sentry and reads the answer: taken, refused for good (other 4xx), or to be retried
 * (5xx, time-outs, 429) after its {@code Retry-After} or the lane's rate limit. Says once when Sentry stops
 * taking data and once when it takes data again.
 */
final class EnvelopeSender {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeSender.class);
    private static final Set<Integer> RETRIED = Set.of(408, 429, 500, 502, 503, 504);

    private final RequestDetails request;
    private final Duration requestTimeout;
    private final EnvelopeSpool spool;
    private final Lanes lanes;
    private final SentryTransport.Outcomes outcomes;
    private final IntSupplier waiting;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile boolean outage;

    /** @param spool where envelopes kept on disk only are read back from, or null without one */
    EnvelopeSender(RequestDetails request, Duration requestTimeout, EnvelopeSpool spool, Lanes lanes,
            SentryTransport.Outcomes outcomes, IntSupplier waiting) {
        this.request = request;
        this.requestTimeout = requestTimeout;
        this.spool = spool;
        this.lanes = lanes;
        this.outcomes = outcomes;
        this.waiting = waiting;
    }

    /** Null when the envelope is done with (sent, or refused for good); else how long to wait (zero: back off). */
    Duration attempt(EnvelopeSpool.Pending envelope, Lane lane) {
        byte[] body;
        try {
            body = envelope.inMemory() ? envelope.body() : spool.read(envelope.file());
        } catch (IOException e) {
            LOG.warn("Cannot read {} back ({}); it is dropped", envelope.file(), e.getMessage());
            lost("send_error", envelope.contents());
            return null;
        }
        try {
            HttpResponse<Void> response = http.send(post(body), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            response.headers().firstValue("X-Sentry-Rate-Limits").ifPresent(lanes::limit);
            if (status / 100 == 2) {
                recovered();
                outcomes.delivered(envelope.contents().category(), envelope.contents().quantity());
                return null;
            }
            if (RETRIED.contains(status)) {
                failing("HTTP " + status);
                Duration retryAfter = response.headers().firstValue("Retry-After").map(RetryAfter::parse)
                        .orElse(Duration.ZERO);
                Duration limited = lane.blockedFor();
                return retryAfter.compareTo(limited) > 0 ? retryAfter : limited;
            }
            LOG.warn("Sentry refused an envelope with HTTP {}; it is dropped", status);
            lost("send_error", envelope.contents());
            return null;
        } catch (IOException e) {
            failing(e.getClass().getSimpleName() + ": " + e.getMessage());
            return Duration.ZERO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
    }

    private HttpRequest post(byte[] body) {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(request.getUrl().toString()))
                .timeout(requestTimeout)
                .header("Content-Encoding", "gzip")
                .header("Content-Type", "application/x-sentry-envelope")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        request.getHeaders().forEach(post::header);
        return post.build();
    }

    /** Since the last failed attempt, no attempt went through. */
    boolean inOutage() {
        return outage;
    }

    private void lost(String reason, EnvelopeContents contents) {
        outcomes.lost(reason, contents.category(), contents.quantity());
    }

    private void failing(String why) {
        outcomes.failedAttempt();
        if (!outage) {
            outage = true;
            LOG.warn("Sentry is not taking data ({}); {} envelopes wait and are retried", why, waiting.getAsInt());
        }
    }

    private void recovered() {
        if (outage) {
            outage = false;
            LOG.info("Sentry takes data again; {} envelopes still waiting", waiting.getAsInt() - 1);
        }
    }
}
