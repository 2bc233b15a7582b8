package io.kubesentry.camel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.sentry.DiscardingPublisher;
import io.kubesentry.support.BeanRefs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.support.DefaultRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The route beans")
class RouteBeansTest {

    @Test
    @DisplayName("are bound one per name the shipped routes use, in the order the route files name them")
    void inTheOrderOfTheRoutes() throws Exception {
        // Given: the names, as report-occurrences and then watch-pod-status name them
        Set<String> named = new LinkedHashSet<>();
        for (String file : List.of("report-occurrences.camel.yaml", "watch-pod-status.camel.yaml")) {
            BeanRefs.collect(new KubernetesSerialization().unmarshal(Files.readString(Path.of("routes", file)),
                    Object.class), named);
        }
        List<String> bound = new ArrayList<>();
        DefaultRegistry registry = new DefaultRegistry() {
            @Override
            public void bind(String id, Class<?> type, Object bean) {
                bound.add(id);
                super.bind(id, type, bean);
            }
        };

        // When
        Settings settings = SettingsParser.parse(Map.of());
        OccurrenceFilter filter = new OccurrenceFilter(settings.namespaces(), settings.excludedNamespaces(),
                settings.reasons(), Instant.now(), AgentMetrics.none());
        new RouteBeans(settings, Optional.empty(), new DiscardingPublisher(), AgentMetrics.none(), filter)
                .bindTo(registry);

        // Then
        assertThat(named).hasSizeGreaterThan(20);
        assertThat(bound.subList(0, named.size())).containsExactlyElementsOf(named);
        assertThat(bound).doesNotHaveDuplicates();
    }
}
