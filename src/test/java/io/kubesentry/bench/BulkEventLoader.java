package io.kubesentry.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.lang.reflect.Field;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Stores objects in the mock API server's CRUD store the way its POST handler does (same key, metadata and
 * JSON, through the store's own {@code processEvent}), without the HTTP round trip and without the POST
 * handler's "already exists" check, which scans every stored object under a global lock: through HTTP, the
 * n-th creation costs O(n), and 50,000 Events took about 20 minutes (5,000 took 14 s). Only for filling the
 * store before the agent starts; the names must be unique.
 */
final class BulkEventLoader {

    private final KubernetesCrudDispatcher crud;
    private final Lock lock;

    private BulkEventLoader(KubernetesCrudDispatcher crud, Lock lock) {
        this.crud = crud;
        this.lock = lock;
    }

    /** The loader of this server's store, or empty when the mock's insides are not as expected. */
    static Optional<BulkEventLoader> of(KubernetesMockServer server) {
        try {
            MockWebServer web = (MockWebServer) read(DefaultMockServer.class, "server", server);
            Object dispatcher = read(MockWebServer.class, "dispatcher", web);
            KubernetesCrudDispatcher crud = (KubernetesCrudDispatcher) read(dispatcher.getClass(),
                    "kubernetesCrudDispatcher", dispatcher);
            ReadWriteLock lock = (ReadWriteLock) read(KubernetesCrudDispatcher.class, "lock", crud);
            return Optional.of(new BulkEventLoader(crud, lock.writeLock()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("benchmark: cannot reach the mock server's store (" + e + "); creating through HTTP");
            return Optional.empty();
        }
    }

    private static Object read(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    /** Stores an events.k8s.io/v1 Event in its namespace. */
    void addEvent(HasMetadata event) {
        String namespace = event.getMetadata().getNamespace();
        add("/apis/events.k8s.io/v1/namespaces/" + namespace + "/events", event);
    }

    /** What {@code PostHandler.handle} does for {@code POST path}, less the scan for an existing name. */
    void add(String path, HasMetadata object) {
        GenericKubernetesResource resource = Serialization.unmarshal(Serialization.asJson(object),
                GenericKubernetesResource.class);
        lock.lock();
        try {
            AttributeSet key = crud.getKey(path).add(new Attribute("name", resource.getMetadata().getName()));
            resource.getMetadata().setUid(UUID.randomUUID().toString());
            resource.getMetadata().setCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            resource.getMetadata().setResourceVersion(String.valueOf(crud.requestResourceVersion()));
            resource.getMetadata().setGeneration(1L);
            crud.processEvent(path, key, null, resource, Serialization.asJson(resource));
        } finally {
            lock.unlock();
        }
    }
}
