package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesentry.classify.Reasons;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.core.Workload;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.routing.MetadataLookup;
import io.kubesentry.routing.ProjectRouter;
import io.kubesentry.workload.InMemoryLookup;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.workload.WorkloadResolver;
import io.kubesentry.workload.WorkloadResolverTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadPrefetchTest {

    private static final String POD = "api-7d9f8b6c5-x2k4q";

    private final InMemoryLookup objects = new InMemoryLookup()
            .with("ReplicaSet", "api-7d9f8b6c5", new Workload("Deployment", "api"));
    private final List<String> metadataReads = new ArrayList<>();
    private final MetadataLookup metadata = new MetadataLookup() {
        @Override
        public Optional<Metadata> workload(String kind, String namespace, String name) {
            metadataReads.add(kind + "/" + namespace + "/" + name);
            return Optional.of(new Metadata(Map.of("team", "shop"), Map.of()));
        }

        @Override
        public Optional<Metadata> namespace(String name) {
            metadataReads.add("Namespace/" + name);
            return Optional.of(Metadata.NONE);
        }
    };
    private final WorkloadResolver resolver = new WorkloadResolver(objects, Duration.ofMinutes(10), 1_000);
    private final ProjectRouter router = new ProjectRouter(SettingsParser.parse(Map.of()).routing(), metadata, Duration.ofMinutes(2));
    private final WorkloadPrefetch prefetch = new WorkloadPrefetch(new OccurrenceFilter(Set.of(), Set.of("kube-system"),
            Set.copyOf(Reasons.DEFAULT_CRITICAL), Instant.MIN, AgentMetrics.none()), resolver, router);

    private static Pod pod(String namespace, String node) {
        return new PodBuilder().withNewMetadata().withName(POD).withNamespace(namespace)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("api-7d9f8b6c5")
                .withController(true).withUid("rs-uid").endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).endSpec().build();
    }

    @Test
    @DisplayName("a Pod from the watch is taken as it is: only its owners and routing metadata are read, once")
    void readsOwnersOnce() {
        // When
        prefetch.learn(pod("shop", "node-1"));
        prefetch.learn(pod("shop", "node-1"));

        // Then: the Pod itself is never read back; its ReplicaSet once, the Deployment's and namespace's metadata once
        assertThat(objects.calls("Pod", POD)).isZero();
        assertThat(objects.calls("ReplicaSet", "api-7d9f8b6c5")).isEqualTo(1);
        assertThat(metadataReads).containsExactly("Deployment/shop/api", "Namespace/shop");
    }

    @Test
    @DisplayName("an Event about the pod then resolves its Deployment and node without an API call")
    void eventsFindItCached() {
        // Given
        prefetch.learn(pod("shop", "node-1"));
        int reads = objects.totalCalls();

        // When
        Workload workload = resolver.resolve("Pod", "shop", POD);

        // Then
        assertThat(workload).isEqualTo(new Workload("Deployment", "api"));
        assertThat(objects.totalCalls()).isEqualTo(reads);
    }

    @Test
    @DisplayName("a Pod moved to another node is remembered there")
    void nodeChanges() {
        // Given
        prefetch.learn(pod("shop", "node-1"));

        // When
        prefetch.learn(pod("shop", "node-2"));

        // Then: an Event about it names the new node (NS of the resolver tests is "shop")
        assertThat(resolver.enrich(WorkloadResolverTest.podOccurrence(POD)).node()).isEqualTo("node-2");
    }

    @Test
    @DisplayName("a lookup that fails leaves the Pod's delivery to go on (prefetching is only a head start)")
    void failingLookup() {
        // Given
        ObjectLookup broken = (kind, namespace, name) -> {
            throw new IllegalStateException("API server gone");
        };
        WorkloadPrefetch failing = new WorkloadPrefetch(new OccurrenceFilter(Set.of(), Set.of(), Set.of("BackOff"),
                Instant.MIN, AgentMetrics.none()), new WorkloadResolver(broken, Duration.ofMinutes(10), 1_000), router);

        // When / Then
        assertThatCode(() -> failing.learn(pod("shop", "node-1")))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a Pod in a namespace never reported costs no API call, nor does one without metadata")
    void unwatchedNamespaces() {
        // When
        prefetch.learn(pod("kube-system", "node-1"));
        prefetch.learn(new Pod());
        prefetch.learn(null);

        // Then
        assertThat(objects.totalCalls()).isZero();
        assertThat(metadataReads).isEmpty();
    }
}
