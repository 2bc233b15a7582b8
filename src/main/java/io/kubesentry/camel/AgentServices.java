package io.kubesentry.camel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.camel.watch.ResilientKubernetesEventsComponent;
import io.kubesentry.camel.watch.ResilientKubernetesPodsComponent;
import io.kubesentry.camel.watch.WatchReadinessCheck;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.config.Settings;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.kubernetes.EventMapper;
import io.kubesentry.kubernetes.InlineDeliveries;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.sentry.SentryPublisher;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RoutePolicy;

/**
 * What the agent runs beside the routes' beans: the Sentry publisher's meters, the route files' reloader, the
 * Sentry flush on stop, the watch components with their readiness, and the leader election of the watch routes.
 */
final class AgentServices {

    /** The watches a reload may not drop: the bundled routes' {@code from} components. */
    static final Set<String> WATCH_COMPONENTS = Set.of("kubernetes-events", "kubernetes-pods");

    private final Settings settings;
    private final Optional<KubernetesClient> client;
    private final SentryPublisher publisher;
    private final AgentMetrics metrics;
    private final WatchStatus watchStatus;
    private final OccurrenceFilter filter;

    /**
     * @param client the API server to watch, or empty for no watches (replay)
     * @param filter the routes' filter: the events watch drops what it would call old, a new leader starts afresh
     */
    AgentServices(Settings settings, Optional<KubernetesClient> client, SentryPublisher publisher,
            AgentMetrics metrics, WatchStatus watchStatus, OccurrenceFilter filter) {
        this.settings = settings;
        this.client = client;
        this.publisher = publisher;
        this.metrics = metrics;
        this.watchStatus = watchStatus;
        this.filter = filter;
    }

    void addTo(CamelContext camelContext) {
        publisher.onDropped(metrics::sentryDropped);
        publisher.onForgotten(() -> metrics.forgotten("dsn_clients"));
        publisher.onSendFailure(metrics::sentryFailed);
        settings.routesDirectory().ifPresent(directory -> addService(camelContext, new RouteFilesReloader(directory,
                settings.routesReloadInterval(), WATCH_COMPONENTS, metrics::routesReloaded)));
        addService(camelContext, new SentryFlushOnStop(publisher));
        client.ifPresent(c -> addWatches(camelContext, c));
        camelContext.getRegistry().bind("leaderOnly", leaderOnly(camelContext));
    }

    /** The watch components (same URIs as camel-kubernetes, recovering from 410 Gone) and their readiness. */
    private void addWatches(CamelContext camelContext, KubernetesClient client) {
        Registry registry = camelContext.getRegistry();
        registry.bind("kubernetesClient", KubernetesClient.class, client);
        KubernetesClient watching = InlineDeliveries.clientLike(client);
        addService(camelContext, new ClosedOnStop(watching));
        registry.bind("watchStatus", watchStatus);
        EventMapper mapper = new EventMapper();
        ResilientKubernetesEventsComponent events = new ResilientKubernetesEventsComponent(watchStatus, watching,
                event -> filter.isRecent(mapper.lastSeen(event)));
        events.setKubernetesClient(client);
        registry.bind("kubernetes-events", events);
        ResilientKubernetesPodsComponent pods = new ResilientKubernetesPodsComponent(watchStatus, watching);
        pods.setKubernetesClient(client);
        registry.bind("kubernetes-pods", pods);
        registry.bind("watchReadiness", new WatchReadinessCheck(watchStatus, settings.readinessGrace()));
    }

    private RoutePolicy leaderOnly(CamelContext camelContext) {
        if (client.isEmpty() || settings.leaderElection().isEmpty()) {
            return Leadership.none();
        }
        try {
            return Leadership.leaderOnly(camelContext, client.get(), settings.leaderElection().get(), filter,
                    Clock.systemUTC(), watchStatus);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up leader election: " + e.getMessage(), e);
        }
    }

    private static void addService(CamelContext camelContext, Object service) {
        try {
            camelContext.addService(service);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + service.getClass().getSimpleName(), e);
        }
    }
}
