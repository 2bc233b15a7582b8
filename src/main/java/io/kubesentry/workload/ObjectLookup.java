package io.kubesentry.workload;

import io.kubesentry.core.Workload;
import java.util.Optional;

/** Reads one object's owner from the API server. Implementations never throw for a missing object. */
public interface ObjectLookup {

    /** What the resolver needs of one object, or empty when it is gone or cannot be read. */
    Optional<OwnedObject> find(String kind, String namespace, String name);

    /** For replay and tests without a cluster: every object is unknown. */
    static ObjectLookup none() {
        return (kind, namespace, name) -> Optional.empty();
    }

    /**
     * @param controller the owner reference with {@code controller: true}, if any
     * @param nodeName   {@code spec.nodeName} of a pod, else empty
     */
    record OwnedObject(String kind, String name, Optional<Workload> controller, String nodeName) {
    }
}
