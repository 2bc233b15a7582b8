package io.kubesentry.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The labels and annotations of workloads and Namespaces, read once per {@code ttl}: every occurrence of a
 * workload needs them, and the API server is asked only when the cache has none. What cannot be read is
 * {@link Metadata#NONE}, cached as well.
 */
final class MetadataCache {

    private final MetadataLookup lookup;
    private final Cache<String, Optional<Metadata>> metadata;

    MetadataCache(MetadataLookup lookup, Duration ttl) {
        this.lookup = lookup;
        this.metadata = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(20_000).build();
    }

    Metadata workload(String namespace, Workload workload) {
        return cached("w|" + workload.kind() + "|" + namespace + "|" + workload.name(),
                () -> lookup.workload(workload.kind(), namespace, workload.name()));
    }

    /** A cluster-scoped object's namespace is empty: it has no Namespace to read. */
    Metadata namespace(String namespace) {
        return namespace.isEmpty() ? Metadata.NONE : cached("n|" + namespace, () -> lookup.namespace(namespace));
    }

    private Metadata cached(String key, Supplier<Optional<Metadata>> read) {
        return metadata.get(key, k -> read.get()).orElse(Metadata.NONE);
    }
}
