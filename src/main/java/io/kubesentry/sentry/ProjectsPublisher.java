package io.kubesentry.sentry;

import io.kubesentry.config.Settings;
import io.kubesentry.core.Destination;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends each issue and log to the Sentry project its routing chose: one SDK client per project (each with its
 * own queue, back-off and rate limits), created once; DSNs named by annotations get theirs on first use, at
 * most {@link #ANNOTATED_CLIENTS} of them: past it the least recently used is closed (sending what it holds)
 * and forgotten, and made again if its DSN comes back.
 */
public final class ProjectsPublisher implements SentryPublisher {

    /** Each client has its threads and queues (a few hundred KB idle): enough for one DSN per team. */
    static final int ANNOTATED_CLIENTS = 32;

    private final SentryPublisher fallback;
    private final Map<String, SentryPublisher> projects;
    private final Function<SentryDsn, SentryPublisher> clients;
    private final int annotatedBound;
    private final Map<String, SentryPublisher> annotated = new LinkedHashMap<>(16, 0.75f, true);
    private final List<SentryPublisher> closing = new ArrayList<>();
    private DeliveryTotals retired = DeliveryTotals.NONE;
    private volatile Runnable forgotten = () -> { };
    private volatile DropListener dropListener = (reason, category, quantity) -> { };
    private volatile Runnable failureListener = () -> { };

    public ProjectsPublisher(SentryPublisher fallback, Map<String, SentryPublisher> projects,
            Function<SentryDsn, SentryPublisher> clients) {
        this(fallback, projects, clients, ANNOTATED_CLIENTS);
    }

    ProjectsPublisher(SentryPublisher fallback, Map<String, SentryPublisher> projects,
            Function<SentryDsn, SentryPublisher> clients, int annotatedBound) {
        this.annotatedBound = annotatedBound;
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
            synchronized (annotated) {
                SentryPublisher client = annotated.get(dsn.value());
                if (client == null) {
                    client = clients.apply(dsn);
                    client.onDropped(dropListener);
                    client.onSendFailure(failureListener);
                    annotated.put(dsn.value(), client);
                    if (annotated.size() > annotatedBound) {
                        var eldest = annotated.entrySet().iterator().next();
                        annotated.remove(eldest.getKey());
                        retire(eldest.getValue());
                    }
                }
                return client;
            }
        }
        return projects.getOrDefault(destination.project(), fallback);
    }

    /** A forgotten client closes on a thread of its own: its flush must not hold up the watch. */
    private void retire(SentryPublisher client) {
        closing.add(client);
        forgotten.run();
        Thread closer = new Thread(() -> {
            client.close();
            synchronized (annotated) {
                closing.remove(client);
                retired = retired.plus(client.totals());
            }
        }, "sentry-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public void onForgotten(Runnable listener) {
        this.forgotten = listener;
    }

    /** How many annotated DSNs have a client now. */
    public int annotatedClients() {
        synchronized (annotated) {
            return annotated.size();
        }
    }

    /** Every client's, forgotten ones included. */
    @Override
    public DeliveryTotals totals() {
        DeliveryTotals sum;
        List<SentryPublisher> all;
        synchronized (annotated) {
            sum = retired;
            all = all();
            all.addAll(closing);
        }
        for (SentryPublisher publisher : all) {
            sum = sum.plus(publisher.totals());
        }
        return sum;
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
        synchronized (annotated) {
            all.addAll(annotated.values());
        }
        return all;
    }
}
