package io.kubesentry.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.metrics.AgentMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Explaining why the filter did not watch an occurrence, or the workload opted out")
class DecisionsTest {

    private static final Instant STARTED_AT = Instant.parse("2024-03-01T10:00:00Z");

    private final OccurrenceFilter filter = new OccurrenceFilter(Set.of("shop", "kube-system", "payments"),
            Set.of("kube-system"), Set.of("OOMKilled"), STARTED_AT, AgentMetrics.none());
    private final Decisions decisions = new Decisions(Duration.ofMinutes(5));

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Started   | shop        | 2024-03-01T10:00:05Z | not watched (reason Started is not in KUBE_SENTRY_EVENTS)          | reason not watched
            OOMKilled | billing     | 2024-03-01T10:00:05Z | not watched (namespace billing is not in KUBE_SENTRY_NAMESPACES)   | namespace not watched
            OOMKilled | kube-system | 2024-03-01T10:00:05Z | not watched (namespace kube-system is in KUBE_SENTRY_EXCLUDE_NAMESPACES) | namespace excluded
            OOMKilled | payments    | 2024-03-01T09:59:59Z | not watched (last seen 2024-03-01T09:59:59Z, before start-up)      | before start-up
            """)
    void notWatched(String reason, String namespace, Instant lastSeen, String line, String category) {
        Occurrence occurrence = occurrence(reason, namespace, lastSeen);

        decisions.begin();
        boolean watched = decisions.watched(occurrence, filter.accepts(decisions.considering(occurrence)),
                filter::rejection);
        List<Decision> recorded = decisions.end();

        assertThat(watched).isFalse();
        assertThat(recorded).singleElement().satisfies(decision -> {
            assertThat(decision.subject()).isEqualTo(reason + " Pod " + namespace + "/api-7d9f8b6c5-x2k4q");
            assertThat(decision.describe()).isEqualTo(line);
            assertThat(decision.category()).isEqualTo(category);
        });
    }

    @Test
    @DisplayName("an opted-out workload is named as such, and a kept one records nothing")
    void ignoredWorkload() {
        Occurrence occurrence = occurrence("OOMKilled", "shop", STARTED_AT.plusSeconds(5));

        decisions.begin();
        decisions.considering(occurrence);
        boolean ignored = decisions.ignored(true);
        List<Decision> recorded = decisions.end();
        decisions.begin();
        decisions.considering(occurrence);
        decisions.ignored(false);

        assertThat(ignored).isTrue();
        assertThat(recorded).singleElement().satisfies(decision -> {
            assertThat(decision.subject()).isEqualTo("OOMKilled Pod shop/api-7d9f8b6c5-x2k4q");
            assertThat(decision.describe())
                    .isEqualTo("ignored workload (kube-sentry-events/ignore on the workload or its namespace)");
            assertThat(decision.category()).isEqualTo("ignored workload");
        });
        assertThat(decisions.end()).isEmpty();
    }

    private static Occurrence occurrence(String reason, String namespace, Instant lastSeen) {
        ClusterEvent event = new ClusterEvent("uid-1", namespace,
                new InvolvedObject("Pod", namespace, "api-7d9f8b6c5-x2k4q", "pod-uid", ""), reason, "message",
                "Warning", 1, lastSeen, lastSeen, "node-a", "kubelet");
        return new Occurrence(event, reason, new Workload("Deployment", "api"), "node-a");
    }
}
