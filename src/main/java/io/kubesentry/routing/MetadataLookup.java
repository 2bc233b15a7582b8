package io.kubesentry.routing;

import java.util.Map;
import java.util.Optional;

/** Labels and annotations of a workload or a namespace, read from the API server. */
public interface MetadataLookup {

    /** Labels and annotations of one object. */
    record Metadata(Map<String, String> labels, Map<String, String> annotations) {

        public static final Metadata NONE = new Metadata(Map.of(), Map.of());

        public Metadata {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
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
