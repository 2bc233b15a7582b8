package io.kubesentry.camel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.classify.TroubleshootingRenderer;
import io.kubesentry.config.Settings;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.explain.Decisions;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.filter.Rejection;
import io.kubesentry.kubernetes.EventMapper;
import io.kubesentry.kubernetes.KubernetesObjectLookup;
import io.kubesentry.kubernetes.KubernetesPreviousLogs;
import io.kubesentry.kubernetes.PodMapper;
import io.kubesentry.kubernetes.WorkloadPrefetch;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.podstatus.CrashedContainerLogs;
import io.kubesentry.podstatus.PodStatusReader;
import io.kubesentry.podstatus.PreviousLogs;
import io.kubesentry.podstatus.RootCauses;
import io.kubesentry.report.IssueFactory;
import io.kubesentry.report.LogFactory;
import io.kubesentry.report.RecentEvents;
import io.kubesentry.routing.MetadataLookup;
import io.kubesentry.routing.ProjectRouter;
import io.kubesentry.sentry.SentryPublisher;
import io.kubesentry.sentry.SentryReporting;
import io.kubesentry.threshold.CountedOccurrence;
import io.kubesentry.threshold.ThresholdGate;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.workload.WorkloadResolver;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

/**
 * The beans the routes name ({@code ref:}, {@code idempotentRepository:}, {@code aggregationStrategy:}, ...):
 * one bind each, in the order routes/report-occurrences.camel.yaml and then routes/watch-pod-status.camel.yaml
 * name them. The watch routes' components and policy are the agent's services ({@link AgentServices}).
 */
final class RouteBeans {

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
    /**
     * Threshold counts below their threshold (one exchange per object and reason, about 2 KB): 3,000, some
     * 6 MB; a forgotten count starts again at its object's next occurrence.
     */
    static final int THRESHOLD_GROUPS = 3_000;
    /** The {@link Decisions} recorder's name in the registry. */
    static final String DECISIONS = "decisions";

    private final AgentMetrics metrics;
    private final OccurrenceFilter filter;
    private final Decisions decisions;
    private final OccurrenceKeys keys;
    private final EventMapper eventMapper = new EventMapper();
    private final EventClassifier classifier = new EventClassifier();
    private final PodStatusReader podStatusReader = new PodStatusReader();
    private final RootCauses rootCauses;
    private final WorkloadResolver workloads;
    private final ProjectRouter projects;
    private final WorkloadPrefetch prefetch;
    private final RecentEvents recentEvents;
    private final ThresholdGate thresholds;
    private final CrashedContainerLogs crashLogs;
    private final SentryReporting sentry;
    private final Duration dedupWindow;

    /**
     * @param client the API server, or empty to resolve workloads from names alone (replay)
     * @param filter the filter the watches and the leader election share
     */
    RouteBeans(Settings settings, Optional<KubernetesClient> client, SentryPublisher publisher, AgentMetrics metrics,
            OccurrenceFilter filter) {
        this.metrics = metrics;
        this.filter = filter;
        this.dedupWindow = settings.dedupWindow();
        this.decisions = new Decisions(settings.dedupWindow());
        this.keys = new OccurrenceKeys(settings.routing().clusterInFingerprint()
                ? settings.routing().cluster() : Optional.empty());
        this.rootCauses = new RootCauses(settings.dedupWindow(), ROOT_CAUSE_CONTAINERS);
        Optional<KubernetesObjectLookup> api = client.map(KubernetesObjectLookup::new);
        ObjectLookup lookup = api.<ObjectLookup>map(reads -> reads).orElse(ObjectLookup.none());
        MetadataLookup metadata = api.<MetadataLookup>map(reads -> reads).orElse(MetadataLookup.none());
        this.workloads = new WorkloadResolver(lookup, Duration.ofMinutes(10), 10_000);
        this.projects = new ProjectRouter(settings.routing(), metadata, Duration.ofMinutes(2));
        this.prefetch = new WorkloadPrefetch(filter, workloads, projects);
        this.recentEvents = new RecentEvents(10, Duration.ofHours(1), BREADCRUMB_WORKLOADS);
        KnowledgeBase knowledgeBase = KnowledgeBase.standard();
        this.thresholds = new ThresholdGate(settings.thresholds(), metrics);
        this.crashLogs = new CrashedContainerLogs(client.filter(c -> settings.attachLogs())
                .<PreviousLogs>map(c -> new KubernetesPreviousLogs(c, settings.attachLogLines()))
                .orElse(PreviousLogs.none()));
        this.sentry = new SentryReporting(
                new IssueFactory(knowledgeBase, new TroubleshootingRenderer(), keys, recentEvents, settings.routing()),
                new LogFactory(knowledgeBase, settings.routing()), publisher, metrics);
    }

    void bindTo(Registry registry) {
        bindReportOccurrences(registry);
        bindPodStatus(registry);
        bindForTheBeanLanguage(registry);
        // what the beans decide, told to replay's --explain; records nothing outside a replay's item
        registry.bind(DECISIONS, decisions);
    }

    /** routes/report-occurrences.camel.yaml, top to bottom. */
    private void bindReportOccurrences(Registry registry) {
        bind(registry, new BodyProcessor<>("mapEvent", Object.class, eventMapper::toClusterEvent));
        bind(registry, new BodyProcessor<>("classifyEvent", ClusterEvent.class, classifier::classify));
        bind(registry, new BodyProcessor<>("nameByRootCause", Occurrence.class, rootCauses::attribute));
        Function<Occurrence, Optional<Rejection>> rejection = filter::rejection;
        bind(registry, new BodyPredicate<>("isWatched", Occurrence.class, occurrence ->
                decisions.watched(occurrence, filter.accepts(decisions.considering(occurrence)), rejection)));
        // a re-list re-delivers every stored Event (kept an hour by default): remember deliveries longer
        registry.bind("deliveredOccurrences", new ExpiringIdempotentRepository(Duration.ofHours(2), DELIVERY_KEYS)
                .onDuplicate(() -> {
                    metrics.redelivered();
                    decisions.redelivered();
                }));
        bind(registry, new BodyExpression<>("deliveryKey", Occurrence.class, keys::delivery));
        bind(registry, new BodyProcessor<>("resolveWorkload", Occurrence.class, workloads::enrich));
        bind(registry, new BodyProcessor<>("chooseSentryProject", Occurrence.class, projects::route));
        bind(registry, new BodyPredicate<>("isIgnored", Occurrence.class,
                occurrence -> decisions.ignored(projects.ignores(occurrence))));
        bind(registry, BodyProcessor.using("rememberForBreadcrumbs", Occurrence.class, recentEvents::remember));
        bind(registry, BodyProcessor.using("sendSentryLog", Occurrence.class, occurrence -> {
            sentry.sendLog(occurrence);
            decisions.logged();
        }));
        bind(registry, new BodyExpression<>("countedObjectKey", Occurrence.class, keys::object));
        registry.bind("occurrenceTally", new OccurrenceTally());
        registry.bind("thresholdGroups", new BoundedAggregationRepository(THRESHOLD_GROUPS,
                () -> metrics.forgotten("threshold_groups")));
        bind(registry, new BodyPredicate<>("isThresholdReached", CountedOccurrence.class, counted ->
                decisions.threshold(counted, thresholds.isReached(counted), () -> thresholds.threshold(counted))));
        registry.bind("callerThread", new SynchronousExecutorService());
        registry.bind("reportedIncidents", new ExpiringIdempotentRepository(dedupWindow, INCIDENT_KEYS)
                .onDuplicate(() -> {
                    metrics.deduplicated();
                    decisions.deduplicated();
                }));
        bind(registry, new BodyExpression<>("incidentKey", CountedOccurrence.class,
                counted -> decisions.incident(keys.incident(counted), () -> keys.fingerprint(counted.occurrence()))));
        bind(registry, new BodyProcessor<>("readPreviousContainerLog", CountedOccurrence.class,
                counted -> counted.with(crashLogs.attach(counted.occurrence()))));
        bind(registry, BodyProcessor.using("sendSentryIssue", CountedOccurrence.class,
                counted -> decisions.issue(counted, sentry.sendIssue(counted))));
    }

    /** routes/watch-pod-status.camel.yaml, top to bottom. */
    private void bindPodStatus(Registry registry) {
        bind(registry, BodyProcessor.using("prefetchWorkload", Object.class, prefetch::learn));
        bind(registry, new BodyProcessor<>("readPodStatus", Object.class,
                pod -> podStatusReader.occurrences(PodMapper.toPodState(pod))));
    }

    /**
     * The objects behind the beans, which the shipped routes do not name: routes of one's own may call them with
     * Camel's bean language ({@code method: {ref: occurrenceFilter, method: accepts}}, docs/building-blocks.md).
     */
    private void bindForTheBeanLanguage(Registry registry) {
        registry.bind("eventMapper", eventMapper);
        registry.bind("eventClassifier", classifier);
        registry.bind("podStatusReader", podStatusReader);
        registry.bind("rootCauses", rootCauses);
        registry.bind("occurrenceFilter", filter);
        registry.bind("occurrenceKeys", keys);
        registry.bind("workloadResolver", workloads);
        registry.bind("projectRouter", projects);
        registry.bind("workloadPrefetch", prefetch);
        registry.bind("recentEvents", recentEvents);
        registry.bind("thresholds", thresholds);
        registry.bind("crashedContainerLogs", crashLogs);
        registry.bind("sentryReporting", sentry);
    }

    private static void bind(Registry registry, BodyRef bean) {
        registry.bind(bean.name(), bean);
    }
}
