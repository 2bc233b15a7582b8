package io.kubesentry.camel;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.classify.TroubleshootingRenderer;
import io.kubesentry.config.Settings;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.kubernetes.EventMapper;
import io.kubesentry.core.Occurrence;
import io.kubesentry.explain.Decisions;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.kubernetes.KubernetesPreviousLogs;
import io.kubesentry.kubernetes.PodMapper;
import io.kubesentry.routing.MetadataLookup;
import io.kubesentry.routing.ProjectRouter;
import io.kubesentry.podstatus.PodStatusReader;
import io.kubesentry.podstatus.PreviousLogs;
import io.kubesentry.podstatus.RootCauses;
import io.kubesentry.report.IssueFactory;
import io.kubesentry.report.LogFactory;
import io.kubesentry.report.RecentEvents;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.sentry.SentryReporting;
import io.kubesentry.kubernetes.KubernetesObjectLookup;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.kubernetes.WorkloadPrefetch;
import io.kubesentry.workload.WorkloadResolver;
import io.kubesentry.camel.watch.InlineDeliveries;
import io.kubesentry.camel.watch.ResilientKubernetesEventsComponent;
import io.kubesentry.camel.watch.ResilientKubernetesPodsComponent;
import io.kubesentry.camel.watch.WatchReadinessCheck;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.threshold.CountedOccurrence;
import io.kubesentry.threshold.ThresholdGate;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import java.nio.file.Path;

/** Binds the beans the routes name ({@code ref:} in the YAML) from the validated settings. */
public final class KubeSentryBeans implements CamelConfiguration {

    /*
     * The caches' bounds, sized so that all of them full fit in the 48 MB heap (README
     * "Performance", CacheFootprint): about 25 MB in all, with an idle live set of 16 MB. Past a bound a cache
     * forgets its least used entries, and what that costs is named at each.
     */
    /** About 200 bytes each, 4 MB in all; a re-list may re-send the log of a forgotten delivery. */
    static final long DELIVERY_KEYS = 20_000;
    /** About 200 bytes each, 2 MB; a forgotten incident can be reported again within its window. */
    static final long INCIDENT_KEYS = 10_000;
    /** Ten breadcrumbs of a workload, about 2.8 KB with 100-character messages: 5.6 MB; others get fewer. */
    static final long BREADCRUMB_WORKLOADS = 2_000;
    /** Root causes read from Pod status, about 1 KB each: 5 MB; a forgotten one names its BackOffs itself. */
    static final long ROOT_CAUSE_CONTAINERS = 5_000;
    /** The {@link Decisions} recorder's name in the registry. */
    public static final String DECISIONS = "decisions";
    /**
     * Threshold counts below their threshold (one exchange per object and reason, about 2 KB): 3,000, some
     * 6 MB; a forgotten count starts again at its object's next occurrence.
     */
    static final int THRESHOLD_GROUPS = 3_000;

    /** The watches a reload may not drop: the bundled routes' {@code from} components. */
    static final java.util.Set<String> WATCH_COMPONENTS = java.util.Set.of("kubernetes-events", "kubernetes-pods");

    private final Settings settings;
    private final Optional<KubernetesClient> client;
    private final SentryPublisher publisher;
    private final Instant startedAt;
    private final MeterRegistry meters;

    /**
     * @param client    the API server, or empty to resolve workloads from names alone (replay)
     * @param startedAt occurrences last seen before it are not reported; {@link Instant#MIN} reports all
     */
    public KubeSentryBeans(Settings settings, Optional<KubernetesClient> client, SentryPublisher publisher,
            Instant startedAt, MeterRegistry meters) {
        this.meters = meters;
        this.settings = settings;
        this.client = client;
        this.publisher = publisher;
        this.startedAt = startedAt;
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        KnowledgeBase knowledgeBase = KnowledgeBase.standard();
        OccurrenceKeys keys = new OccurrenceKeys(settings.routing().clusterInFingerprint()
                ? settings.routing().cluster() : Optional.empty());
        RecentEvents recentEvents = new RecentEvents(10, Duration.ofHours(1), BREADCRUMB_WORKLOADS);
        Optional<KubernetesObjectLookup> api = client.map(KubernetesObjectLookup::new);
        ObjectLookup lookup = api.<ObjectLookup>map(reads -> reads).orElse(ObjectLookup.none());
        MetadataLookup metadata = api.<MetadataLookup>map(reads -> reads).orElse(MetadataLookup.none());
        WatchStatus watchStatus = new WatchStatus(Clock.systemUTC());
        AgentMetrics metrics = new MicrometerAgentMetrics(meters, watchStatus, Clock.systemUTC());
        publisher.onDropped(metrics::sentryDropped);
        if (publisher instanceof io.kubesentry.sentry.ProjectsPublisher projects) {
            projects.onForgotten(() -> metrics.forgotten("dsn_clients"));
        }
        publisher.onSendFailure(metrics::sentryFailed);

        // what the beans decide, told to replay's --explain; records nothing outside a replay's item
        Decisions decisions = new Decisions(settings.dedupWindow());
        registry.bind(DECISIONS, decisions);
        settings.routesDirectory().ifPresent(dir -> addReloader(camelContext, dir));
        addService(camelContext, new SentryFlushOnStop(publisher));
        registry.bind("settings", settings);
        EventMapper eventMapper = new EventMapper();
        registry.bind("eventMapper", eventMapper);
        bind(registry, new BodyProcessor<>("mapEvent", Object.class, eventMapper::toClusterEvent));
        EventClassifier classifier = new EventClassifier();
        registry.bind("eventClassifier", classifier);
        bind(registry, new BodyProcessor<>("classifyEvent", ClusterEvent.class, classifier::classify));
        PodStatusReader podStatusReader = new PodStatusReader();
        registry.bind("podStatusReader", podStatusReader);
        bind(registry, new BodyProcessor<>("readPodStatus", Pod.class,
                pod -> podStatusReader.occurrences(PodMapper.toPodState(pod))));
        RootCauses rootCauses = new RootCauses(settings.dedupWindow(), ROOT_CAUSE_CONTAINERS);
        registry.bind("rootCauses", rootCauses);
        bind(registry, new BodyProcessor<>("nameByRootCause", Occurrence.class, rootCauses::attribute));
        OccurrenceFilter filter = new OccurrenceFilter(settings.namespaces(), settings.excludedNamespaces(),
                settings.reasons(), startedAt, metrics);
        registry.bind("occurrenceFilter", filter);
        Function<Occurrence, Optional<String>> rejection = filter::rejection;
        bind(registry, new BodyPredicate<>("isWatched", Occurrence.class, occurrence ->
                decisions.watched(occurrence, filter.accepts(decisions.considering(occurrence)), rejection)));
        client.ifPresent(c -> bindWatches(camelContext, c, watchStatus, filter, settings.readinessGrace()));
        registry.bind("leaderOnly", leaderOnly(camelContext, filter, watchStatus));
        registry.bind("occurrenceKeys", keys);
        bind(registry, new BodyExpression<>("deliveryKey", Occurrence.class, keys::delivery));
        bind(registry, new BodyExpression<>("countedObjectKey", Occurrence.class, keys::object));
        bind(registry, new BodyExpression<>("incidentKey", CountedOccurrence.class,
                counted -> decisions.incident(keys.incident(counted), () -> keys.fingerprint(counted.occurrence()))));
        // a re-list re-delivers every stored Event (kept an hour by default): remember deliveries longer
        registry.bind("deliveredOccurrences", new ExpiringIdempotentRepository(Duration.ofHours(2), DELIVERY_KEYS)
                .onDuplicate(() -> {
                    metrics.redelivered();
                    decisions.redelivered();
                }));
        WorkloadResolver workloads = new WorkloadResolver(lookup, Duration.ofMinutes(10), 10_000);
        ProjectRouter projects = new ProjectRouter(settings.routing(), metadata, Duration.ofMinutes(2));
        registry.bind("workloadResolver", workloads);
        bind(registry, new BodyProcessor<>("resolveWorkload", Occurrence.class, workloads::enrich));
        registry.bind("projectRouter", projects);
        bind(registry, new BodyProcessor<>("chooseSentryProject", Occurrence.class, projects::route));
        bind(registry, new BodyPredicate<>("isIgnored", Occurrence.class,
                occurrence -> decisions.ignored(projects.ignores(occurrence))));
        WorkloadPrefetch prefetch = new WorkloadPrefetch(filter, workloads, projects);
        registry.bind("workloadPrefetch", prefetch);
        bind(registry, BodyProcessor.using("prefetchWorkload", Pod.class, prefetch::learn));
        registry.bind("recentEvents", recentEvents);
        bind(registry, BodyProcessor.using("rememberForBreadcrumbs", Occurrence.class, recentEvents::remember));
        SentryReporting sentry = new SentryReporting(
                new IssueFactory(knowledgeBase, new TroubleshootingRenderer(), keys, recentEvents, previousLogs(),
                        settings.routing()),
                new LogFactory(knowledgeBase, settings.routing()), publisher, metrics);
        registry.bind("sentryReporting", sentry);
        bind(registry, BodyProcessor.using("sendSentryLog", Occurrence.class, occurrence -> {
            sentry.sendLog(occurrence);
            decisions.logged();
        }));
        registry.bind("occurrenceTally", new OccurrenceTally());
        registry.bind("callerThread", new SynchronousExecutorService());
        ThresholdGate thresholds = new ThresholdGate(settings.thresholds(), metrics);
        registry.bind("thresholds", thresholds);
        registry.bind("thresholdGroups", new BoundedAggregationRepository(THRESHOLD_GROUPS,
                () -> metrics.forgotten("threshold_groups")));
        bind(registry, new BodyPredicate<>("isThresholdReached", CountedOccurrence.class, counted ->
                decisions.threshold(counted, thresholds.isReached(counted), () -> thresholds.threshold(counted))));
        registry.bind("reportedIncidents", new ExpiringIdempotentRepository(settings.dedupWindow(), INCIDENT_KEYS)
                .onDuplicate(() -> {
                    metrics.deduplicated();
                    decisions.deduplicated();
                }));
        bind(registry, BodyProcessor.using("sendSentryIssue", CountedOccurrence.class,
                counted -> decisions.issue(counted, sentry.sendIssue(counted))));
    }

    private static void bind(Registry registry, BodyRef bean) {
        registry.bind(bean.name(), bean);
    }

    /** The watch components (same URIs as camel-kubernetes, recovering from 410 Gone) and their readiness. */
    private static void bindWatches(CamelContext camelContext, KubernetesClient client, WatchStatus status,
            OccurrenceFilter filter, Duration readinessGrace) {
        Registry registry = camelContext.getRegistry();
        registry.bind("kubernetesClient", KubernetesClient.class, client);
        KubernetesClient watching = InlineDeliveries.clientLike(client);
        addService(camelContext, new ClosedOnStop(watching));
        registry.bind("watchStatus", status);
        EventMapper mapper = new EventMapper();
        ResilientKubernetesEventsComponent events = new ResilientKubernetesEventsComponent(status, watching,
                event -> filter.isRecent(mapper.lastSeen(event)));
        events.setKubernetesClient(client);
        registry.bind("kubernetes-events", events);
        ResilientKubernetesPodsComponent pods = new ResilientKubernetesPodsComponent(status, watching);
        pods.setKubernetesClient(client);
        registry.bind("kubernetes-pods", pods);
        registry.bind("watchReadiness", new WatchReadinessCheck(status, readinessGrace));
    }

    private RoutePolicy leaderOnly(CamelContext camelContext, OccurrenceFilter filter, WatchStatus watches) {
        if (client.isEmpty() || settings.leaderElection().isEmpty()) {
            return Leadership.none();
        }
        try {
            return Leadership.leaderOnly(camelContext, client.get(), settings.leaderElection().get(), filter,
                    Clock.systemUTC(), watches);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up leader election: " + e.getMessage(), e);
        }
    }

    private void addReloader(CamelContext camelContext, Path directory) {
        addService(camelContext, new RouteFilesReloader(directory, settings.routesReloadInterval(), WATCH_COMPONENTS,
                result -> meters.counter("kube.sentry.routes.reloads", "result", result).increment()));
    }

    private static void addService(CamelContext camelContext, Object service) {
        try {
            camelContext.addService(service);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + service.getClass().getSimpleName(), e);
        }
    }

    private PreviousLogs previousLogs() {
        return client.filter(c -> settings.attachLogs())
                .<PreviousLogs>map(c -> new KubernetesPreviousLogs(c, settings.attachLogLines()))
                .orElse(PreviousLogs.none());
    }
}
