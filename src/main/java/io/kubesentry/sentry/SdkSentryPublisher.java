package io.kubesentry.sentry;

import io.kubesentry.classify.Severity;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import io.kubesentry.sentry.transport.SentryTransport;
import io.sentry.Breadcrumb;
import io.sentry.IScopes;
import io.sentry.Scope;
import io.sentry.Scopes;
import io.sentry.SentryAttributes;
import io.sentry.SentryClient;
import io.sentry.SentryEvent;
import io.sentry.SentryExecutorService;
import io.sentry.SentryLevel;
import io.sentry.SentryLogLevel;
import io.sentry.SentryOptions;
import io.sentry.logger.SentryLogParameters;
import io.sentry.protocol.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one adapter around the Sentry SDK: issues as events, logs through the Logs API. */
public final class SdkSentryPublisher implements SentryPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SdkSentryPublisher.class);

    private volatile DropListener dropListener = (reason, category, quantity) -> { };
    private volatile Runnable failureListener = () -> { };

    private final IScopes scopes;
    private final DeliveryLedger ledger;

    /**
     * A client of its own, not the SDK's global one: each Sentry project gets one, with its own queue and
     * back-off, and nothing global changes when another starts or stops.
     */
    public SdkSentryPublisher(SentryDsn dsn, String environment, String release) {
        this(dsn, environment, release, SentryBuffer.inMemory());
    }

    public SdkSentryPublisher(SentryDsn dsn, String environment, String release, SentryBuffer buffer) {
        SentryOptions options = new SentryOptions();
        this.ledger = new DeliveryLedger("Sentry at " + dsn.redacted(), java.time.Clock.systemUTC());
        configure(options, dsn, environment, release, buffer);
        options.setExecutorService(new SentryExecutorService(options));
        Scopes own = new Scopes(new Scope(options), new Scope(options), new Scope(options), "kube-sentry-events");
        own.bindClient(new SentryClient(options));
        this.scopes = own;
        LOG.info("Sending to Sentry at {} (environment {})", dsn.redacted(), environment);
    }

    private void configure(SentryOptions options, SentryDsn dsn, String environment, String release,
            SentryBuffer buffer) {
        options.setDsn(dsn.value());
        options.setEnvironment(environment);
        options.setRelease(release);
        options.setAttachStacktrace(false);
        options.setSendDefaultPii(false);
        options.setEnableUncaughtExceptionHandler(false);
        options.setEnableShutdownHook(false);
        options.getLogs().setEnabled(true);
        SentryTransport.install(options, buffer.envelopes(), buffer.directoryFor(dsn), buffer.waitForRoom(),
                new LedgerOutcomes(ledger, (reason, category, quantity) -> dropListener.dropped(reason, category,
                        quantity), () -> failureListener.run()));
    }

    /** What this client delivered and lost since it started. */
    @Override
    public DeliveryTotals totals() {
        return ledger.totals();
    }

    @Override
    public void onDropped(DropListener listener) {
        this.dropListener = listener;
    }

    @Override
    public void onSendFailure(Runnable listener) {
        this.failureListener = listener;
    }

    @Override
    public void publish(IssueReport issue) {
        SentryEvent event = new SentryEvent();
        event.setLevel(level(issue.level()));
        Message message = new Message();
        message.setFormatted(issue.message());
        event.setMessage(message);
        event.setLogger("kube-sentry-events");
        event.setFingerprints(issue.fingerprint());
        issue.tags().forEach(event::setTag);
        issue.extras().forEach(event::setExtra);
        issue.contexts().forEach((name, context) -> event.getContexts().put(name, context));
        for (IssueReport.Crumb crumb : issue.breadcrumbs()) {
            Breadcrumb breadcrumb = new Breadcrumb(date(crumb.timestamp()));
            breadcrumb.setCategory(crumb.category());
            breadcrumb.setMessage(crumb.message());
            breadcrumb.setLevel(level(crumb.level()));
            event.addBreadcrumb(breadcrumb);
        }
        scopes.captureEvent(event);
    }

    @Override
    public void publish(LogRecord log) {
        scopes.logger().log(logLevel(log.level()),
                SentryLogParameters.create(SentryAttributes.fromMap(log.attributes())), log.body());
    }

    @Override
    public void flush(Duration timeout) {
        // the SDK flushes its transport before its log batcher: a second pass sends the logs that handed over
        long deadline = System.nanoTime() + timeout.toNanos();
        scopes.flush(timeout.toMillis());
        scopes.flush(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
    }

    @Override
    public void close() {
        scopes.close();
    }

    /** An instant beyond what {@link Date} holds (about 292 million years) must not cost the issue. */
    private static Date date(Instant instant) {
        try {
            return Date.from(instant);
        } catch (IllegalArgumentException e) {
            return new Date();
        }
    }

    private static SentryLevel level(Severity severity) {
        return switch (severity) {
            case ERROR -> SentryLevel.ERROR;
            case WARNING -> SentryLevel.WARNING;
            case INFO -> SentryLevel.INFO;
        };
    }

    private static SentryLogLevel logLevel(Severity severity) {
        return switch (severity) {
            case ERROR -> SentryLogLevel.ERROR;
            case WARNING -> SentryLogLevel.WARN;
            case INFO -> SentryLogLevel.INFO;
        };
    }
}
