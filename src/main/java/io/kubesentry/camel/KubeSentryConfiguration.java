package io.kubesentry.camel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.kubernetes.AgentClients;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SentryPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.LoggerFactory;

/**
 * The agent in a Camel context: the beans the routes name ({@link RouteBeans}), the services beside them
 * ({@link AgentServices}) and the route properties from the settings. This jar's camel-main binds it
 * ({@code io.kubesentry.app.KubeSentryApplication}); Camel K, or another camel-main application that loads the
 * route files, makes it with no arguments, from the KUBE_SENTRY_* / SENTRY_* environment. The agent's meters go
 * to the context's MeterRegistry when it has one.
 */
public final class KubeSentryConfiguration implements CamelConfiguration {

    /** The {@link io.kubesentry.explain.Decisions} recorder's name in the registry, which replay's --explain reads. */
    public static final String DECISIONS = RouteBeans.DECISIONS;
    private static final String RELEASE = "kube-sentry-events";

    private final Settings settings;
    private final Optional<KubernetesClient> client;
    private final SentryPublisher publisher;
    private final Instant startedAt;

    /** From the environment, with a client like kubectl's: Camel K and camel.main.configuration-classes. */
    public KubeSentryConfiguration() {
        this(SettingsParser.parse(System.getenv()));
    }

    private KubeSentryConfiguration(Settings settings) {
        this(settings, Optional.of(AgentClients.fromEnvironment()), ProjectsPublisher.fromSettings(settings, RELEASE),
                Instant.now());
    }

    /**
     * @param client    the API server to watch, or empty to leave the watch routes out and resolve workloads from
     *                  names alone (replay)
     * @param startedAt occurrences last seen before it are not reported; {@link Instant#MIN} reports all
     */
    public KubeSentryConfiguration(Settings settings, Optional<KubernetesClient> client, SentryPublisher publisher,
            Instant startedAt) {
        this.settings = settings;
        this.client = client;
        this.publisher = publisher;
        this.startedAt = startedAt;
    }

    /** Replay's: no cluster, and every recorded occurrence counts however old. */
    public static KubeSentryConfiguration replaying(Settings settings, SentryPublisher publisher) {
        return new KubeSentryConfiguration(settings, Optional.empty(), publisher, Instant.MIN);
    }

    /**
     * The command line's watch: the client and Sentry start on two cores at once, {@code connected} is told the
     * API server's URL and kubeconfig context (empty in the cluster), and the client's JSON mapping warms while
     * Camel boots.
     */
    public static KubeSentryConfiguration watching(Settings settings, String release,
            BiConsumer<String, Optional<String>> connected) {
        Instant startedAt = Instant.now();
        LoggerFactory.getILoggerFactory(); // configured before the client's thread logs too
        CompletableFuture<KubernetesClient> starting = CompletableFuture.supplyAsync(AgentClients::fromEnvironment);
        SentryPublisher publisher = ProjectsPublisher.fromSettings(settings, release);
        KubernetesClient client = started(starting);
        connected.accept(String.valueOf(client.getMasterUrl()), AgentClients.context(client));
        AgentClients.warmInBackground(client);
        return new KubeSentryConfiguration(settings, Optional.of(client), publisher, startedAt);
    }

    private static KubernetesClient started(CompletableFuture<KubernetesClient> client) {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Whether the watch routes run: only with a cluster. */
    public boolean watches() {
        return client.isPresent();
    }

    @Override
    public void configure(CamelContext camelContext) {
        MeterRegistry meters = Optional.ofNullable(camelContext.getRegistry().findSingleByType(MeterRegistry.class))
                .orElseGet(SimpleMeterRegistry::new);
        WatchStatus watchStatus = new WatchStatus(Clock.systemUTC());
        AgentMetrics metrics = new MicrometerAgentMetrics(meters, watchStatus, Clock.systemUTC());
        OccurrenceFilter filter = new OccurrenceFilter(settings.namespaces(), settings.excludedNamespaces(),
                settings.reasons(), startedAt, metrics);
        new RouteBeans(settings, client, publisher, metrics, filter).bindTo(camelContext.getRegistry());
        new AgentServices(settings, client, publisher, metrics, watchStatus, filter).addTo(camelContext);
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        properties.addOverrideProperty("kube-sentry.watch.enabled", String.valueOf(watches()));
        properties.addOverrideProperty("kube-sentry.logs.enabled", String.valueOf(settings.logsEnabled()));
        properties.addOverrideProperty("kube-sentry.threshold.window-millis",
                String.valueOf(settings.thresholdWindow().toMillis()));
    }
}
