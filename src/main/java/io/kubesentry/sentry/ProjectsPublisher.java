package io.kubesentry.sentry;

import io.kubesentry.config.SentryDsn;
import io.kubesentry.config.Settings;
import io.kubesentry.routing.Destination;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends each issue and log to the Sentry project its routing chose: one SDK client per project (each with its
 * own queue, back-off and rate limits), created once; DSNs named by annotations get theirs on first use.
 */
public final class ProjectsPublisher implements SentryPublisher {

    private final SentryPublisher fallback;
    private final Map<String, SentryPublisher> projects;
    private final Function<SentryDsn, SentryPublisher> clients;
    private final Map<String, SentryPublisher> annotated = new ConcurrentHashMap<>();
    private volatile DropListener dropListener = (reason, category, quantity) -> { };
    private volatile Runnable failureListener = () -> { };
    private volatile DeliveryListener deliveryListener = (category, quantity) -> { };

    public ProjectsPublisher(SentryPublisher fallback, Map<String, SentryPublisher> projects,
            Function<SentryDsn, SentryPublisher> clients) {
        this.fallback = fallback;
        this.projects = Map.copyOf(projects);
        this.clients = clients;
    }

    /**
     * What the settings ask for: SENTRY_DSN's client (or the dry run's console without it), one client per
     * project of KUBE_SENTRY_PROJECTS, each buffering as KUBE_SENTRY_BUFFER_* say.
     */
    public static ProjectsPublisher fromSettings(Settings settings, String release) {
        SentryBuffer buffer = new SentryBuffer(settings.bufferEnvelopes(), settings.bufferDirectory());
        Function<SentryDsn, SentryPublisher> clients =
                dsn -> new SdkSentryPublisher(dsn, settings.environment(), release, buffer);
        SentryPublisher fallback = settings.sentryDsn().map(clients)
                .orElseGet(() -> new ConsoleSentryPublisher(System.out));
        return of(settings, fallback, clients);
    }

    /** The default publisher, plus one SDK client per project of KUBE_SENTRY_PROJECTS. */
    public static ProjectsPublisher of(Settings settings, SentryPublisher fallback,
            Function<SentryDsn, SentryPublisher> clients) {
        Map<String, SentryPublisher> projects = new LinkedHashMap<>();
        settings.routing().projects().forEach((name, dsn) -> projects.put(name, clients.apply(dsn)));
        return new ProjectsPublisher(fallback, projects, clients);
    }

    private SentryPublisher to(Destination destination) {
        if (destination.dsn().isPresent()) {
            SentryDsn dsn = destination.dsn().get();
            return annotated.computeIfAbsent(dsn.value(), key -> {
                SentryPublisher client = clients.apply(dsn);
                client.onDropped(dropListener);
                client.onSendFailure(failureListener);
                client.onDelivered(deliveryListener);
                return client;
            });
        }
        return projects.getOrDefault(destination.project(), fallback);
    }

    @Override
    public void publish(IssueReport issue) {
        to(issue.destination()).publish(issue);
    }

    @Override
    public void publish(LogRecord log) {
        to(log.destination()).publish(log);
    }

    @Override
    public void onDropped(DropListener listener) {
        this.dropListener = listener;
        all().forEach(publisher -> publisher.onDropped(listener));
    }

    @Override
    public void onSendFailure(Runnable listener) {
        this.failureListener = listener;
        all().forEach(publisher -> publisher.onSendFailure(listener));
    }

    @Override
    public void onDelivered(DeliveryListener listener) {
        this.deliveryListener = listener;
        all().forEach(publisher -> publisher.onDelivered(listener));
    }

    /** All clients within {@code timeout} together, not each. */
    @Override
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        all().forEach(publisher -> publisher.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }

    @Override
    public void close() {
        all().forEach(SentryPublisher::close);
    }

    private List<SentryPublisher> all() {
        List<SentryPublisher> all = new ArrayList<>();
        all.add(fallback);
        all.addAll(projects.values());
        all.addAll(annotated.values());
        return all;
    }
}
