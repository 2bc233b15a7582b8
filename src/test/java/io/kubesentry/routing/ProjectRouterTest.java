package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.config.SentryDsn;
import io.kubesentry.event.ClusterEvent;
import io.kubesentry.event.InvolvedObject;
import io.kubesentry.event.Occurrence;
import io.kubesentry.routing.MetadataLookup.Metadata;
import io.kubesentry.workload.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Choosing the Sentry project of an occurrence")
class ProjectRouterTest {

    private static final SentryDsn TEAM_A = SentryDsn.parse("SENTRY_DSN_TEAM_A", "https://a@o1.ingest.example.invalid/2");
    private static final String OWN_DSN = "https://own@o1.ingest.example.invalid/9";

    @Test
    @DisplayName("the workload's annotation wins over its namespace's, which wins over the table")
    void order() {
        // Given
        MetadataLookup lookup = lookup(Map.of("kube-sentry-events/project", "team-a"),
                Map.of("kube-sentry-events/project", "team-b"));
        ProjectRouter router = new ProjectRouter(settings(true), lookup, Duration.ofMinutes(1));

        // When
        Target target = router.target(occurrence());

        // Then
        assertThat(target.destination().project()).isEqualTo("team-a");
    }

    @Test
    @DisplayName("a DSN annotation is honoured, unless KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS is false: then the table decides")
    void dsnAnnotation() {
        MetadataLookup lookup = lookup(Map.of("kube-sentry-events/dsn", OWN_DSN), Map.of());

        Target allowed = new ProjectRouter(settings(true), lookup, Duration.ofMinutes(1)).target(occurrence());
        Target forbidden = new ProjectRouter(settings(false), lookup, Duration.ofMinutes(1)).target(occurrence());

        assertThat(allowed.destination().dsn()).map(SentryDsn::value).contains(OWN_DSN);
        assertThat(forbidden.destination()).as("the annotation is ignored: the table decides")
                .isEqualTo(Destination.project("team-b"));
    }

    @Test
    @DisplayName("a bad thresholds annotation keeps its good pairs and drops the rest")
    void thresholds() {
        MetadataLookup lookup = lookup(Map.of("kube-sentry-events/thresholds", "Unhealthy:20, BackOff:x, Evicted:0"),
                Map.of());

        Target target = new ProjectRouter(settings(true), lookup, Duration.ofMinutes(1)).target(occurrence());

        assertThat(target.thresholds()).containsExactly(Map.entry("Unhealthy", 20));
    }

    private static RoutingSettings settings(boolean dsnAnnotations) {
        return new RoutingSettings(Optional.empty(), false, Map.of(), List.of(), Map.of("team-a", TEAM_A,
                "team-b", TEAM_A), List.of(RoutingRule.namespace("shop", "team-b")), dsnAnnotations);
    }

    private static MetadataLookup lookup(Map<String, String> workload, Map<String, String> namespace) {
        return new MetadataLookup() {
            @Override
            public Optional<Metadata> workload(String kind, String ns, String name) {
                return Optional.of(new Metadata(Map.of(), workload));
            }

            @Override
            public Optional<Metadata> namespace(String name) {
                return Optional.of(new Metadata(Map.of(), namespace));
            }
        };
    }

    private static Occurrence occurrence() {
        InvolvedObject pod = new InvolvedObject("Pod", "shop", "api-7d9f8b6c5-x2k4q", "uid", "");
        ClusterEvent event = new ClusterEvent("e1", "shop", pod, "Evicted", "low memory", "Warning", 1,
                Instant.now(), Instant.now(), "node-1", "kubelet");
        return new Occurrence(event, "Evicted", new Workload("Deployment", "api"), "node-1");
    }
}
