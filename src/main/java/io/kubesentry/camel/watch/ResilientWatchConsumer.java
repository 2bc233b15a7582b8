package io.kubesentry.camel.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kubernetes.AbstractKubernetesEndpoint;
import org.apache.camel.component.kubernetes.KubernetesConstants;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A list-then-watch consumer that never goes silent. camel-kubernetes 4.18's consumers log a watch that ends
 * with {@code 410 Gone} and never watch again; this one lists again (delivering every stored object as
 * ADDED, so nothing that changed meanwhile is lost; the routes drop what they have seen) and watches from
 * the list's resourceVersion. Any other end is retried with a growing back-off. fabric8 itself reconnects
 * on ordinary dropped connections.
 *
 * <p>The watch counts as up only once the API server answered: its list returned, or it connected. fabric8 hands
 * back a watch even when the server cannot be reached (it falls back to an HTTP watch that connects later, or
 * never), so a watch started without a list is confirmed by one. What goes wrong is logged once per change of
 * cause, naming the server and the next try; every retry and fabric8's stack traces only at debug.
 */
final class ResilientWatchConsumer<T extends HasMetadata, L extends KubernetesResourceList<T>, S extends Listable<L> & Watchable<T>>
        extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientWatchConsumer.class);
    private static final long PAGE = 500;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);
    static final Duration PROBE = Duration.ofSeconds(5);
    static final Duration SILENCE = Duration.ofSeconds(4);
    private static final WatchStatus.State DOWN = new WatchStatus.State(false, Instant.EPOCH, "", false);

    private final String name;
    private final String resource;
    private volatile String reported; // the kind of trouble last logged, null while up
    private final Function<KubernetesClient, S> source;
    private final KubernetesClient watching;
    private final WatchStatus status;
    private final Predicate<T> worthDelivering;
    private ScheduledExecutorService scheduler;
    private volatile Watch watch;
    private volatile String resourceVersion;
    private volatile boolean stopping;
    private volatile boolean probeFailed;
    private Duration retry = FIRST_RETRY;
    private final AtomicLong attempts = new AtomicLong();

    /** @param watching the client the watch runs on; lists and probes use the endpoint's */
    ResilientWatchConsumer(AbstractKubernetesEndpoint endpoint, Processor processor, String name,
            String resource, Function<KubernetesClient, S> source, KubernetesClient watching, WatchStatus status,
            Predicate<T> worthDelivering) {
        super(endpoint, processor);
        this.resource = resource;
        this.watching = watching;
        this.worthDelivering = worthDelivering;
        this.name = name;
        this.source = source;
        this.status = status;
    }

    @Override
    public AbstractKubernetesEndpoint getEndpoint() {
        return (AbstractKubernetesEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        status.expect(name);
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "kubernetes-watch-" + name);
        scheduler.execute(() -> connect(true));
        scheduler.scheduleWithFixedDelay(this::probe, PROBE.toMillis(), PROBE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A quiet watch and a lost API server look the same, and fabric8 reconnects without telling: a cheap
     * list every few seconds tells them apart, for readiness.
     */
    private void probe() {
        if (stopping || watch == null) {
            return;
        }
        try {
            source.apply(getEndpoint().getKubernetesClient()).list(new ListOptionsBuilder().withLimit(1L).build());
            if (!status.states().getOrDefault(name, DOWN).up() && probeFailed && watch != null) {
                answered("answers again");
            }
            probeFailed = false;
        } catch (RuntimeException e) {
            probeFailed = true;
            failed(e, "list", "fabric8 reconnects the watch itself; next check at "
                    + Instant.now().plus(PROBE).truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** The attempt is still waiting for the API server after {@link #SILENCE}. */
    private void silent(long attempt) {
        if (stopping || attempts.get() != attempt) {
            return;
        }
        String message = "the API server at " + server() + " has not answered for " + SILENCE.toSeconds() + "s";
        status.down(name, message);
        if (!"silent".equals(reported)) {
            reported = "silent";
            LOG.warn("The {} watch is down: {}; still waiting for it", name, message);
        }
    }

    /** The server answered: up, and said so if it was reported down. */
    private void answered(String how) {
        status.up(name);
        if (reported != null) {
            reported = null;
            LOG.info("The {} watch is up: the API server at {} {}", name, server(), how);
        }
    }

    /** Down, logged at warn once per kind of trouble, else at debug; stack traces only at debug. */
    private void failed(Throwable e, String verb, String next) {
        ApiServerTrouble trouble = ApiServerTrouble.of(e, server(), verb, resource);
        status.down(name, trouble.message());
        if (!trouble.kind().equals(reported)) {
            reported = trouble.kind();
            LOG.warn("The {} watch is down: {}; {}", name, trouble.message(), next);
        } else {
            LOG.debug("The {} watch is still down: {}; {}", name, trouble.message(), next);
        }
        LOG.debug("The {} watch failed", name, e);
    }

    private String server() {
        return getEndpoint().getKubernetesClient().getMasterUrl().toString();
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        Watch current = watch;
        watch = null;
        if (current != null) {
            current.close();
        }
        status.down(name, "stopped");
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
        }
        super.doStop();
    }

    private void connect(boolean relist) {
        if (stopping) {
            return;
        }
        Delivery delivery = new Delivery();
        Watch started = null;
        String verb = "list";
        long attempt = attempts.incrementAndGet();
        // a server that accepts and never answers holds this thread for the client's time-outs: say so sooner
        CompletableFuture.delayedExecutor(SILENCE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> silent(attempt));
        try {
            S operation = source.apply(getEndpoint().getKubernetesClient());
            boolean firstStart = resourceVersion == null;
            boolean listed = firstStart || relist;
            if (firstStart) {
                // watch at once; what is stored is read after, off the watch (the routes drop repeats)
                resourceVersion = currentVersion(operation);
            } else if (relist) {
                resourceVersion = listAndDeliver(operation);
            }
            ListOptions options = new ListOptionsBuilder().withResourceVersion(resourceVersion)
                    .withAllowWatchBookmarks(true).build();
            verb = "watch";
            started = source.apply(watching).watch(options, delivery);
            if (!listed) {
                verb = "list";
                currentVersion(operation); // fabric8 returns a watch the server may never have seen: ask it
            }
            watch = started;
            if (firstStart) {
                scheduler.execute(() -> catchUp(operation));
            }
            retry = FIRST_RETRY;
            attempts.incrementAndGet();
            answered("answers");
            LOG.info("Watching {} from resourceVersion {}", name, resourceVersion);
        } catch (RuntimeException e) {
            attempts.incrementAndGet();
            delivery.abandoned = true; // its watch never started: this catch retries, not its onClose
            if (started != null) {
                started.close();
            }
            boolean gone = e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_GONE;
            failed(e, verb, "next try at " + Instant.now().plus(retry).truncatedTo(ChronoUnit.SECONDS)
                    + " (in " + retry.toSeconds() + "s)");
            reconnect(relist || gone);
        }
    }

    private void reconnect(boolean relist) {
        if (stopping) {
            return;
        }
        status.restarted(name);
        Duration delay = retry;
        retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        scheduler.schedule(() -> connect(relist), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where the stored objects end: the resourceVersion a watch starts from, without reading them. */
    private String currentVersion(S operation) {
        L page = operation.list(new ListOptionsBuilder().withLimit(1L).build());
        return page.getMetadata() == null ? null : page.getMetadata().getResourceVersion();
    }

    /** The stored objects of a first start: those changed while the agent booted are reported. */
    private void catchUp(S operation) {
        try {
            listAndDeliver(operation);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the stored {} ({}); watching goes on", name, e.getMessage());
        }
    }

    /**
     * Every stored object, page by page, as ADDED: the routes drop what is already seen. What the component
     * knows to be old news (an Event last seen before start-up) is not handed to the routes at all: a busy
     * cluster stores tens of thousands.
     */
    private String listAndDeliver(S operation) {
        String continueToken = null;
        String version;
        do {
            L page = operation.list(new ListOptionsBuilder().withLimit(PAGE).withContinue(continueToken).build());
            page.getItems().stream().filter(worthDelivering).forEach(item -> deliver(Watcher.Action.ADDED, item));
            version = page.getMetadata() == null ? null : page.getMetadata().getResourceVersion();
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (continueToken != null && !continueToken.isEmpty() && !stopping);
        return version;
    }

    private void deliver(Watcher.Action action, T resource) {
        status.receivedOne(name);
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(resource);
        exchange.getIn().setHeader(KubernetesConstants.KUBERNETES_EVENT_ACTION, action);
        exchange.getIn().setHeader(KubernetesConstants.KUBERNETES_EVENT_TIMESTAMP, System.currentTimeMillis());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            getExceptionHandler().handleException("Error processing a " + name + " delivery", exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private final class Delivery implements Watcher<T> {

        private volatile boolean abandoned;

        @Override
        public void eventReceived(Action action, T resource) {
            if (resource != null && resource.getMetadata() != null
                    && resource.getMetadata().getResourceVersion() != null) {
                resourceVersion = resource.getMetadata().getResourceVersion();
            }
            if (action != Action.ERROR && action != Action.BOOKMARK) {
                deliver(action, resource);
            }
        }

        @Override
        public void onClose() {
            if (!stopping && !abandoned) {
                watch = null;
                status.down(name, "watch closed");
                LOG.info("The {} watch closed; watching again in {}s", name, retry.toSeconds());
                reconnect(false);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (stopping || abandoned) {
                return;
            }
            watch = null;
            boolean gone = cause.isHttpGone();
            if (gone) {
                status.down(name, "410 Gone: listing again");
                LOG.info("The {} watch ended with 410 Gone; listing again from the start", name);
            } else if (reported != null) {
                status.down(name, status.states().getOrDefault(name, DOWN).lastError()); // already told why
                LOG.debug("The {} watch ended ({})", name, cause.getMessage());
            } else {
                failed(cause, "watch", "watching again at "
                        + Instant.now().plus(retry).truncatedTo(ChronoUnit.SECONDS) + " (in " + retry.toSeconds() + "s)");
            }
            reconnect(gone);
        }
    }
}
