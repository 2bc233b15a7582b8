package io.kubesentry.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.classify.Reasons;
import io.kubesentry.classify.TroubleshootingRenderer;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.kubernetes.EventMapper;
import io.kubesentry.kubernetes.PodMapper;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.podstatus.PodStatusReader;
import io.kubesentry.podstatus.RootCauses;
import io.kubesentry.report.IssueFactory;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogFactory;
import io.kubesentry.report.LogRecord;
import io.kubesentry.report.RecentEvents;
import io.kubesentry.threshold.CountedOccurrence;
import io.kubesentry.threshold.ThresholdGate;
import io.kubesentry.threshold.Thresholds;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.workload.WorkloadResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The domain steps of the shipped routes, in the routes' order, without Camel: map and classify (Events) or
 * read the Pod's status, then root cause, filter, delivery key, workload, breadcrumbs, log, threshold key,
 * incident key, issue. Every occurrence is carried to the end, filtered or not, so every factory sees it.
 * One instance per try: root causes and breadcrumbs carry state from one delivery to the next, as in the agent.
 */
final class DomainChain {

    /** What one delivery produced: its occurrences with their issue and log. */
    record Reported(Occurrence occurrence, IssueReport issue, LogRecord log) {
    }

    private final EventMapper mapper = new EventMapper();
    private final EventClassifier classifier = new EventClassifier();
    private final PodStatusReader podStatus = new PodStatusReader();
    private final RootCauses rootCauses = new RootCauses(Duration.ofMinutes(10), 1_000);
    private final OccurrenceFilter filter = new OccurrenceFilter(Set.of(), Set.of("kube-system"),
            Set.copyOf(Reasons.DEFAULT_CRITICAL), Instant.now(), AgentMetrics.none());
    private final OccurrenceKeys keys = new OccurrenceKeys(Optional.empty());
    private final WorkloadResolver resolver;
    private final RecentEvents recentEvents = new RecentEvents(10, Duration.ofHours(1), 1_000);
    private final IssueFactory issues = new IssueFactory(KnowledgeBase.standard(), new TroubleshootingRenderer(),
            keys, recentEvents);
    private final LogFactory logs = new LogFactory(KnowledgeBase.standard());
    private final ThresholdGate thresholds = new ThresholdGate(Thresholds.defaults(), AgentMetrics.none());

    DomainChain() {
        this(ObjectLookup.none());
    }

    DomainChain(ObjectLookup lookup) {
        this.resolver = new WorkloadResolver(lookup, Duration.ofMinutes(10), 1_000);
    }

    /** One Event delivery (either API's type): may throw MalformedEventException, nothing else. */
    Reported event(Object body) {
        ClusterEvent event = mapper.toClusterEvent(body);
        return report(classifier.classify(event));
    }

    /** One Pod delivery: may throw MalformedEventException, nothing else. */
    List<Reported> pod(Pod pod) {
        List<Reported> reported = new ArrayList<>();
        for (Occurrence occurrence : podStatus.occurrences(PodMapper.toPodState(pod))) {
            reported.add(report(occurrence));
        }
        return reported;
    }

    private Reported report(Occurrence classified) {
        Occurrence occurrence = rootCauses.attribute(classified);
        filter.rejection(occurrence);
        keys.delivery(occurrence);
        Occurrence enriched = resolver.enrich(occurrence);
        recentEvents.remember(enriched);
        LogRecord log = logs.create(enriched);
        keys.object(enriched);
        CountedOccurrence counted = CountedOccurrence.first(enriched);
        thresholds.isReached(counted);
        keys.incident(counted);
        return new Reported(enriched, issues.create(counted), log);
    }

    /** What Sentry needs of every report, whatever the input was. */
    static void assertWellFormed(Reported reported) {
        Occurrence occurrence = reported.occurrence();
        assertThat(occurrence.reason()).isNotNull();
        assertThat(occurrence.namespace()).isNotNull();
        assertThat(occurrence.message()).isNotNull()
                .hasSizeLessThanOrEqualTo(ClusterEvent.MAX_MESSAGE_LENGTH);
        assertThat(occurrence.workload()).isNotNull();
        assertThat(occurrence.workload().kind()).isNotBlank();
        assertThat(occurrence.workload().name()).isNotBlank();

        IssueReport issue = reported.issue();
        assertThat(issue.level()).isNotNull();
        assertThat(issue.message()).isNotNull();
        assertThat(issue.fingerprint()).hasSize(3).doesNotContainNull();
        assertNoNulls("tags", issue.tags());
        assertThat(issue.extras()).doesNotContainKey(null);
        issue.contexts().forEach((name, context) -> {
            assertThat(name).isNotNull();
            assertThat(context).as("context %s", name).isNotNull().doesNotContainKey(null);
        });
        issue.breadcrumbs().forEach(crumb -> {
            assertThat(crumb.timestamp()).as("a time java.util.Date (and so the SDK) holds")
                    .isBetween(Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"));
            assertThat(crumb.message()).isNotNull();
        });

        LogRecord log = reported.log();
        assertThat(log.level()).isNotNull();
        assertThat(log.body()).isNotNull();
        assertNoNulls("log attributes", log.attributes());
    }

    private static void assertNoNulls(String what, Map<String, ?> map) {
        map.forEach((key, value) -> {
            assertThat(key).as("a key of %s", what).isNotNull();
            assertThat(value).as("%s[%s]", what, key).isNotNull();
        });
    }
}
