package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.routing.MetadataLookup.Metadata;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Opting out with kube-sentry-events/ignore")
class OptOutTest {

    private static Metadata annotated(String ignore) {
        return new Metadata(Map.of(), Map.of(RoutingAnnotations.IGNORE, ignore));
    }

    @Test
    @DisplayName("\"true\" in any case on the workload or on its Namespace opts out")
    void either() {
        assertThat(OptOut.ignores(annotated("True"), Metadata.NONE)).isTrue();
        assertThat(OptOut.ignores(Metadata.NONE, annotated("TRUE"))).isTrue();
    }

    @Test
    @DisplayName("anything else, or nothing, does not")
    void neither() {
        assertThat(OptOut.ignores(annotated("yes"), annotated("false"))).isFalse();
        assertThat(OptOut.ignores(Metadata.NONE, Metadata.NONE)).isFalse();
    }
}
