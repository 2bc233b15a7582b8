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
import java.util.concurrent.ScheduledExecutorService;
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

/**
 * A list-then-watch consumer that never goes silent. camel-kubernetes 4.18's consumers log a watch that ends
 * with {@code 410 Gone} and never watch again; this one lists again (delivering every stored object as
 * ADDED, so nothing that changed meanwhile is lost; the routes drop what they have seen) and watches from
 * the list's resourceVersion. Any other end is retried with a growing back-off. fabric8 itself reconnects
 * on ordinary dropped connections.
 */
final class ResilientWatchConsumer<T extends HasMetadata, L extends KubernetesResourceList<T>, S extends Listable<L> & Watchable<T>>
        extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientWatchConsumer.class);
    private static final long PAGE = 500;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);
    static final Duration PROBE = Duration.ofSeconds(5);
    private static final WatchStatus.State DOWN = new WatchStatus.State(false, Instant.EPOCH, "");

    private final String name;
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

    /** @param watching the client the watch runs on; lists and probes use the endpoint's */
    ResilientWatchConsumer(AbstractKubernetesEndpoint endpoint, Processor processor, String name,
            Function<KubernetesClient, S> source, KubernetesClient watching, WatchStatus status,
            Predicate<T> worthDelivering) {
        super(endpoint, processor);
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
            if (!status.states().getOrDefault(name, DOWN).up() && probeFailed) {
                status.up(name);
            }
            probeFailed = false;
        } catch (RuntimeException e) {
            probeFailed = true;
            status.down(name, "API server unreachable: " + e.getMessage());
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        Watch current = watch;
        if (current != null) {
            current.close();
        }
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
        try {
            S operation = source.apply(getEndpoint().getKubernetesClient());
            boolean firstStart = resourceVersion == null;
            if (firstStart) {
                // watch at once; what is stored is read after, off the watch (the routes drop repeats)
                resourceVersion = currentVersion(operation);
                scheduler.execute(() -> catchUp(operation));
            } else if (relist) {
                resourceVersion = listAndDeliver(operation);
            }
            ListOptions options = new ListOptionsBuilder().withResourceVersion(resourceVersion)
                    .withAllowWatchBookmarks(true).build();
            watch = source.apply(watching).watch(options, delivery);
            status.up(name);
            retry = FIRST_RETRY;
            LOG.info("Watching {} from resourceVersion {}", name, resourceVersion);
        } catch (RuntimeException e) {
            delivery.abandoned = true; // its watch never started: this catch retries, not its onClose
            boolean gone = e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_GONE;
            status.down(name, e.getMessage());
            LOG.warn("Cannot watch {} ({}); trying again in {}s", name, e.getMessage(), retry.toSeconds());
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
                status.down(name, "watch closed");
                LOG.warn("The {} watch closed; watching again", name);
                reconnect(false);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (stopping || abandoned) {
                return;
            }
            boolean gone = cause.isHttpGone();
            status.down(name, cause.getMessage());
            LOG.warn("The {} watch ended ({}); {}", name, cause.getMessage(),
                    gone ? "listing again from the start" : "watching again");
            reconnect(gone);
        }
    }
}
