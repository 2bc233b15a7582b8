package io.kubesentry.camel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.classify.TroubleshootingRenderer;
import io.kubesentry.config.Settings;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.event.EventMapper;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.podstatus.KubernetesPreviousLogs;
import io.kubesentry.podstatus.PodStatusReader;
import io.kubesentry.podstatus.PreviousLogs;
import io.kubesentry.podstatus.RootCauses;
import io.kubesentry.sentry.IssueFactory;
import io.kubesentry.sentry.LogFactory;
import io.kubesentry.sentry.RecentEvents;
import io.kubesentry.sentry.SentryIssues;
import io.kubesentry.sentry.SentryLogs;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.workload.KubernetesObjectLookup;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.workload.WorkloadResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

/** Binds the beans the routes name ({@code ref:} in the YAML) from the validated settings. */
public final class KubeSentryBeans implements CamelConfiguration {

    static final long DELIVERY_KEYS = 200_000;
    static final long INCIDENT_KEYS = 50_000;

    private final Settings settings;
    private final Optional<KubernetesClient> client;
    private final SentryPublisher publisher;
    private final Instant startedAt;

    /**
     * @param client    the API server, or empty to resolve workloads from names alone (replay)
     * @param startedAt occurrences last seen before it are not reported; {@link Instant#MIN} reports all
     */
    public KubeSentryBeans(Settings settings, Optional<KubernetesClient> client, SentryPublisher publisher,
            Instant startedAt) {
        this.settings = settings;
        this.client = client;
        this.publisher = publisher;
        this.startedAt = startedAt;
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        KnowledgeBase knowledgeBase = KnowledgeBase.standard();
        OccurrenceKeys keys = new OccurrenceKeys();
        RecentEvents recentEvents = new RecentEvents(10, Duration.ofHours(1), 10_000);
        ObjectLookup lookup = client.<ObjectLookup>map(KubernetesObjectLookup::new).orElse(ObjectLookup.none());

        client.ifPresent(c -> registry.bind("kubernetesClient", KubernetesClient.class, c));
        registry.bind("settings", settings);
        registry.bind("eventMapper", new EventMapper());
        registry.bind("eventClassifier", new EventClassifier());
        registry.bind("podStatusReader", new PodStatusReader());
        registry.bind("rootCauses", new RootCauses(settings.dedupWindow(), 50_000));
        registry.bind("occurrenceFilter", new OccurrenceFilter(settings.namespaces(),
                settings.excludedNamespaces(), settings.reasons(), startedAt));
        registry.bind("occurrenceKeys", keys);
        // a re-list re-delivers every stored Event (kept an hour by default): remember deliveries longer
        registry.bind("deliveredOccurrences", new ExpiringIdempotentRepository(Duration.ofHours(2), DELIVERY_KEYS));
        registry.bind("workloadResolver", new WorkloadResolver(lookup, Duration.ofMinutes(10), 10_000));
        registry.bind("recentEvents", recentEvents);
        registry.bind("sentryLogs", new SentryLogs(new LogFactory(knowledgeBase), publisher));
        registry.bind("occurrenceTally", new OccurrenceTally());
        registry.bind("callerThread", new SynchronousExecutorService());
        registry.bind("thresholds", settings.thresholds());
        registry.bind("reportedIncidents", new ExpiringIdempotentRepository(settings.dedupWindow(), INCIDENT_KEYS));
        registry.bind("sentryIssues", new SentryIssues(
                new IssueFactory(knowledgeBase, new TroubleshootingRenderer(), keys, recentEvents, previousLogs()),
                publisher));
    }

    private PreviousLogs previousLogs() {
        return client.filter(c -> settings.attachLogs())
                .<PreviousLogs>map(c -> new KubernetesPreviousLogs(c, settings.attachLogLines()))
                .orElse(PreviousLogs.none());
    }
}
