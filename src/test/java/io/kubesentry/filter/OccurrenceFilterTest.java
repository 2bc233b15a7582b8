package io.kubesentry.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.metrics.AgentMetrics;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OccurrenceFilterTest {

    /** Start-up, with a fraction of a second as Instant.now() has. */
    private static final Instant STARTED_AT = Instant.parse("2024-03-01T10:00:00.750Z");
    private static final Set<String> REASONS = Set.of("OOMKilled", "BackOff");

    private static Occurrence occurrence(String namespace, String reason, Instant lastSeen) {
        ClusterEvent event = new ClusterEvent("uid-1", namespace,
                new InvolvedObject("Pod", namespace, "api-7d9f8b6c5-x2k4q", "pod-uid", ""), reason, "message",
                "Warning", 1, lastSeen, lastSeen, "node-a", "kubelet");
        return new Occurrence(event, reason, new Workload("Deployment", "api"), "node-a");
    }

    private static Occurrence occurrence(String namespace, String reason) {
        return occurrence(namespace, reason, STARTED_AT.plusSeconds(60));
    }

    private static OccurrenceFilter filter(Set<String> namespaces, Set<String> excluded) {
        return new OccurrenceFilter(namespaces, excluded, REASONS, STARTED_AT, AgentMetrics.none());
    }

    /** node-problem-detector's OOMKilling about a node, stored (as Node Events are) in namespace default. */
    private static Occurrence nodeOccurrence(String reason, Instant lastSeen) {
        ClusterEvent event = new ClusterEvent("uid-2", "default", new InvolvedObject("Node", "", "worker-1",
                "worker-1", ""), reason, "Memory cgroup out of memory: Kill process 25169 (hyperkube)", "Warning", 1,
                lastSeen, lastSeen, "worker-1", "kernel-monitor");
        return new Occurrence(event, reason, new Workload("Node", "worker-1"), "worker-1");
    }

    @ParameterizedTest(name = "include {0}, exclude {1}")
    @CsvSource(delimiter = '|', value = {"shop,payments | kube-system", "| default", "shop | default"})
    @DisplayName("reports a node's problems whatever the namespace lists say: a node is in none of them")
    void clusterScopedObjects(String included, String excluded) {
        // Given
        OccurrenceFilter filter = filter(names(included), names(excluded));

        // When
        Optional<String> rejection = why(filter, nodeOccurrence("OOMKilled", STARTED_AT.plusSeconds(5)));

        // Then
        assertThat(rejection).isEmpty();
        assertThat(why(filter, occurrence("default", "OOMKilled"))).as("a pod in default still is filtered")
                .isPresent();
        assertThat(why(filter, nodeOccurrence("NodeNotReady", STARTED_AT.plusSeconds(5))))
                .contains("reason not watched");
        assertThat(why(filter, nodeOccurrence("OOMKilled", STARTED_AT.minusSeconds(60))).orElseThrow())
                .contains("before start-up");
    }

    /** The rejection's text, as the debug log says it. */
    private static Optional<String> why(OccurrenceFilter filter, Occurrence occurrence) {
        return filter.rejection(occurrence).map(Rejection::text);
    }

    private static Set<String> names(String list) {
        return list == null ? Set.of() : Set.of(list.trim().split(","));
    }

    @Test
    @DisplayName("accepts a watched reason in a watched namespace, seen after start-up")
    void accepts() {
        // Given
        OccurrenceFilter filter = filter(Set.of(), Set.of("kube-system"));

        // When
        Optional<String> rejection = why(filter, occurrence("shop", "OOMKilled"));

        // Then
        assertThat(rejection).isEmpty();
        assertThat(filter.accepts(occurrence("shop", "OOMKilled"))).isTrue();
    }

    @ParameterizedTest(name = "namespace {0} with include list [shop, payments] -> accepted: {1}")
    @CsvSource({"shop, true", "payments, true", "default, false", "kube-system, false"})
    @DisplayName("with an include list accepts only the namespaces it names")
    void includeList(String namespace, boolean accepted) {
        // Given
        OccurrenceFilter filter = filter(Set.of("shop", "payments"), Set.of());

        // When
        boolean result = filter.accepts(occurrence(namespace, "OOMKilled"));

        // Then
        assertThat(result).isEqualTo(accepted);
    }

    @ParameterizedTest(name = "namespace {0} with exclude list [kube-system, monitoring] -> accepted: {1}")
    @CsvSource({"shop, true", "default, true", "kube-system, false", "monitoring, false"})
    @DisplayName("with an exclude list drops the namespaces it names")
    void excludeList(String namespace, boolean accepted) {
        // Given
        OccurrenceFilter filter = filter(Set.of(), Set.of("kube-system", "monitoring"));

        // When
        boolean result = filter.accepts(occurrence(namespace, "OOMKilled"));

        // Then
        assertThat(result).isEqualTo(accepted);
    }

    @Test
    @DisplayName("with no lists at all accepts every namespace, kube-system included")
    void noLists() {
        // Given
        OccurrenceFilter filter = filter(Set.of(), Set.of());

        // When / Then
        assertThat(filter.accepts(occurrence("kube-system", "BackOff"))).isTrue();
    }

    @Test
    @DisplayName("keeps occurrences with no timestamp at all")
    void missingTimestampsKept() {
        // Given
        OccurrenceFilter filter = filter(Set.of(), Set.of());
        Occurrence undated = occurrence("shop", "OOMKilled", null);

        // When
        Optional<String> rejection = why(filter, undated);

        // Then
        assertThat(undated.event().lastSeen()).isNull();
        assertThat(rejection).isEmpty();
    }

    @ParameterizedTest(name = "last seen {0} -> accepted: {1}")
    @CsvSource({
        "2024-03-01T10:00:01Z, true",
        "2024-03-01T10:00:00Z, true",
        "2024-03-01T09:59:59Z, false",
        "2024-03-01T09:00:00Z, false",
        "2023-01-01T00:00:00Z, false"})
    @DisplayName("drops occurrences last seen before start-up, keeping those of start-up's own second")
    void startUpCutoff(Instant lastSeen, boolean accepted) {
        // Given
        OccurrenceFilter filter = filter(Set.of(), Set.of());

        // When
        boolean result = filter.accepts(occurrence("shop", "OOMKilled", lastSeen));

        // Then
        assertThat(result).isEqualTo(accepted);
    }

    @Test
    @DisplayName("with Instant.MIN as start-up keeps occurrences of any age (replay)")
    void instantMinKeepsAll() {
        // Given
        OccurrenceFilter filter = new OccurrenceFilter(Set.of(), Set.of(), REASONS, Instant.MIN, AgentMetrics.none());

        // When
        boolean ancient = filter.accepts(occurrence("shop", "OOMKilled", Instant.parse("1970-01-01T00:00:00Z")));
        boolean recent = filter.accepts(occurrence("shop", "OOMKilled", STARTED_AT));

        // Then
        assertThat(ancient).isTrue();
        assertThat(recent).isTrue();
    }

    @Nested
    @DisplayName("says why it drops an occurrence")
    class Rejections {

        @Test
        @DisplayName("a reason it does not watch")
        void reasonNotWatched() {
            // Given
            OccurrenceFilter filter = filter(Set.of(), Set.of());

            // When
            Optional<String> rejection = why(filter, occurrence("shop", "Pulling"));

            // Then
            assertThat(rejection).contains("reason not watched");
        }

        @Test
        @DisplayName("a namespace outside the include list")
        void namespaceNotWatched() {
            // Given
            OccurrenceFilter filter = filter(Set.of("payments"), Set.of());

            // When
            Optional<String> rejection = why(filter, occurrence("shop", "OOMKilled"));

            // Then
            assertThat(rejection).contains("namespace not watched");
        }

        @Test
        @DisplayName("a namespace on the exclude list, even when the include list names it too")
        void namespaceExcluded() {
            // Given
            OccurrenceFilter filter = filter(Set.of("shop"), Set.of("shop"));

            // When
            Optional<String> rejection = why(filter, occurrence("shop", "OOMKilled"));

            // Then
            assertThat(rejection).contains("namespace excluded");
        }

        @Test
        @DisplayName("an occurrence last seen before start-up")
        void beforeStartUp() {
            // Given
            OccurrenceFilter filter = filter(Set.of(), Set.of());

            // When
            Optional<String> rejection = why(filter, 
                    occurrence("shop", "OOMKilled", Instant.parse("2024-03-01T09:59:59Z")));

            // Then
            assertThat(rejection).hasValueSatisfying(why -> assertThat(why)
                    .isEqualTo("last seen 2024-03-01T09:59:59Z, before start-up"));
        }

        @Test
        @DisplayName("each rejection names its rule; one last seen before start-up is counted without its time")
        void rules() {
            // Given
            OccurrenceFilter watching = filter(Set.of("payments", "shop"), Set.of("shop"));

            // When
            Optional<Rejection> reason = watching.rejection(occurrence("payments", "Pulling"));
            Optional<Rejection> notListed = watching.rejection(occurrence("billing", "OOMKilled"));
            Optional<Rejection> excluded = watching.rejection(occurrence("shop", "OOMKilled"));
            Optional<Rejection> old = watching.rejection(occurrence("payments", "OOMKilled",
                    Instant.parse("2024-03-01T09:59:59Z")));

            // Then
            assertThat(reason).map(Rejection::rule).contains(Rejection.Rule.REASON_NOT_WATCHED);
            assertThat(notListed).map(Rejection::rule).contains(Rejection.Rule.NAMESPACE_NOT_WATCHED);
            assertThat(excluded).map(Rejection::rule).contains(Rejection.Rule.NAMESPACE_EXCLUDED);
            assertThat(old).map(Rejection::rule).contains(Rejection.Rule.BEFORE_START_UP);
            assertThat(excluded).map(Rejection::category).contains("namespace excluded");
            assertThat(old).map(Rejection::category).contains("before start-up");
        }
    }
}
