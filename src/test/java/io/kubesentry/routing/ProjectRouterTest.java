package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.config.SettingsParser;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ConfigException;
import io.kubesentry.core.Destination;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.core.Target;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
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
    @DisplayName("an annotated DSN must be https to Sentry's SaaS, a configured DSN's host or KUBE_SENTRY_DSN_ALLOWED_HOSTS")
    void dsnAllowList() {
        RoutingSettings routing = SettingsParser.parse(Map.of("SENTRY_DSN", "https://key@sentry.corp.example/1",
                "KUBE_SENTRY_DSN_ALLOWED_HOSTS", "*.sentry.team.example, http://sentry.sentry.svc")).routing();

        assertThat(annotated(routing, "https://k@o1.ingest.sentry.io/2")).as("SaaS").isPresent();
        assertThat(annotated(routing, "https://k@o1.ingest.us.sentry.io/2")).as("SaaS, US").isPresent();
        assertThat(annotated(routing, "https://k@sentry.corp.example/7")).as("SENTRY_DSN's host").isPresent();
        assertThat(annotated(routing, "https://k@eu.sentry.team.example/7")).as("a listed wildcard").isPresent();
        assertThat(annotated(routing, "http://k@sentry.sentry.svc/7")).as("listed with http://").isPresent();

        assertThat(annotated(routing, "http://k@o1.ingest.sentry.io/2")).as("plain http").isEmpty();
        assertThat(annotated(routing, "https://k@10.0.0.12:9200/1")).as("an internal address").isEmpty();
        assertThat(annotated(routing, "https://k@metadata.google.internal/1")).isEmpty();
        assertThat(annotated(routing, "https://k@evilsentry.io/1")).as("not a subdomain").isEmpty();
        assertThat(annotated(routing, "https://k@sentry.team.example/1")).as("the wildcard's own domain").isEmpty();
    }

    @Test
    @DisplayName("KUBE_SENTRY_DSN_ALLOWED_HOSTS with something that is not a host stops start-up, naming it")
    void badAllowList() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SettingsParser.parse(Map.of(
                "KUBE_SENTRY_DSN_ALLOWED_HOSTS", "sentry.io/path"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KUBE_SENTRY_DSN_ALLOWED_HOSTS");
    }

    private static Optional<SentryDsn> annotated(RoutingSettings routing, String dsn) {
        return new ProjectRouter(routing, lookup(Map.of("kube-sentry-events/dsn", dsn), Map.of()), Duration.ofMinutes(1))
                .target(occurrence()).destination().dsn();
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
                "team-b", TEAM_A), List.of(RoutingRule.namespace("shop", "team-b")), dsnAnnotations,
                DsnAllowList.of(List.of(TEAM_A.uri()), List.of()));
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
