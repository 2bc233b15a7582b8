package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.Destination;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The project choice: annotations, then the routing table, then the default")
class ProjectChoiceTest {

    private static final SentryDsn DSN = SentryDsn.parse("SENTRY_DSN_TEAM_A", "https://a@o1.ingest.example.invalid/2");
    private static final Workload API = new Workload("Deployment", "api");

    private final ProjectChoice choice = new ProjectChoice(new RoutingSettings(Optional.empty(), false, Map.of(),
            List.of(), Map.of("team-a", DSN, "team-b", DSN, "team-c", DSN),
            List.of(RoutingRule.selector(Map.of("team", "checkout"), "team-c"), RoutingRule.namespace("shop*", "team-b")),
            true, DsnAllowList.of(List.of(DSN.uri()), List.of())));

    private static Metadata labels(Map<String, String> labels) {
        return new Metadata(labels, Map.of());
    }

    private static Metadata project(String project) {
        return new Metadata(Map.of(), Map.of(RoutingAnnotations.PROJECT, project));
    }

    @Test
    @DisplayName("the first matching rule of the table, by the workload's labels or its namespace")
    void table() {
        assertThat(choice.of("shop", API, labels(Map.of("team", "checkout")), Metadata.NONE))
                .isEqualTo(Destination.project("team-c"));
        assertThat(choice.of("shop-eu", API, labels(Map.of("team", "search")), Metadata.NONE))
                .isEqualTo(Destination.project("team-b"));
    }

    @Test
    @DisplayName("nothing matching is the default")
    void fallback() {
        assertThat(choice.of("billing", API, Metadata.NONE, Metadata.NONE)).isEqualTo(Destination.DEFAULT);
    }

    @Test
    @DisplayName("an annotated project that is not configured is passed over, to the Namespace's")
    void unknownProject() {
        assertThat(choice.of("billing", API, project("team-z"), project(" team-a "))).isEqualTo(Destination.project("team-a"));
    }

    @Test
    @DisplayName("a DSN that cannot be parsed is passed over, to the same object's project annotation")
    void badDsn() {
        Metadata both = new Metadata(Map.of(), Map.of(RoutingAnnotations.DSN, "not a dsn",
                RoutingAnnotations.PROJECT, "team-a"));

        assertThat(choice.of("billing", API, both, Metadata.NONE)).isEqualTo(Destination.project("team-a"));
    }
}
