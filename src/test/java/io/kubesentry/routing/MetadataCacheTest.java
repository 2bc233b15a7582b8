package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The metadata cache of workloads and Namespaces")
class MetadataCacheTest {

    private final List<String> asked = new ArrayList<>();
    private final Metadata team = new Metadata(Map.of("team", "payments"), Map.of());

    private final MetadataLookup lookup = new MetadataLookup() {
        @Override
        public Optional<Metadata> workload(String kind, String namespace, String name) {
            asked.add(kind + " " + namespace + "/" + name);
            return name.equals("gone") ? Optional.empty() : Optional.of(team);
        }

        @Override
        public Optional<Metadata> namespace(String name) {
            asked.add("Namespace " + name);
            return Optional.of(team);
        }
    };

    private final MetadataCache cache = new MetadataCache(lookup, Duration.ofMinutes(1));

    @Test
    @DisplayName("each object is read once, what cannot be read as well")
    void readOnce() {
        Workload api = new Workload("Deployment", "api");
        Workload gone = new Workload("Deployment", "gone");

        for (int i = 0; i < 3; i++) {
            assertThat(cache.workload("shop", api)).isEqualTo(team);
            assertThat(cache.workload("shop", gone)).isEqualTo(Metadata.NONE);
            assertThat(cache.namespace("shop")).isEqualTo(team);
        }

        assertThat(asked).containsExactly("Deployment shop/api", "Deployment shop/gone", "Namespace shop");
    }

    @Test
    @DisplayName("the same name in another namespace, or of another kind, is another object")
    void keys() {
        cache.workload("shop", new Workload("Deployment", "api"));
        cache.workload("billing", new Workload("Deployment", "api"));
        cache.workload("shop", new Workload("StatefulSet", "api"));

        assertThat(asked).hasSize(3);
    }

    @Test
    @DisplayName("a cluster-scoped object has no Namespace to read")
    void clusterScoped() {
        assertThat(cache.namespace("")).isEqualTo(Metadata.NONE);
        assertThat(asked).isEmpty();
    }
}
