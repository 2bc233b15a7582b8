package io.kubesentry.routing;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Labels and annotations of a workload or a namespace, read from the API server. */
public interface MetadataLookup {

    /**
     * Labels and the agent's own annotations ({@code kube-sentry-events/...}) of one object. The others are
     * not kept: {@code kubectl.kubernetes.io/last-applied-configuration} alone is a copy of the whole manifest,
     * often several KB, and thousands of workloads are cached.
     */
    record Metadata(Map<String, String> labels, Map<String, String> annotations) {

        public static final Metadata NONE = new Metadata(Map.of(), Map.of());

        public Metadata {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            annotations = annotations == null ? Map.of() : annotations.entrySet().stream()
                    .filter(annotation -> annotation.getKey().startsWith(RoutingAnnotations.PREFIX))
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }

    Optional<Metadata> workload(String kind, String namespace, String name);

    Optional<Metadata> namespace(String name);

    static MetadataLookup none() {
        return new MetadataLookup() {
            @Override
            public Optional<Metadata> workload(String kind, String namespace, String name) {
                return Optional.empty();
            }

            @Override
            public Optional<Metadata> namespace(String name) {
                return Optional.empty();
            }
        };
    }
}
