package io.kubesentry.workload;

import io.kubesentry.core.Workload;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The API server as a map, counting how often each object is read. */
public final class InMemoryLookup implements ObjectLookup {

    private static final String NS = "shop";

    private final Map<String, OwnedObject> objects = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public InMemoryLookup with(String kind, String name, Workload controller, String nodeName) {
        objects.put(key(kind, NS, name), new OwnedObject(kind, name, Optional.ofNullable(controller), nodeName));
        return this;
    }

    public InMemoryLookup with(String kind, String name, Workload controller) {
        return with(kind, name, controller, "");
    }

    @Override
    public Optional<OwnedObject> find(String kind, String namespace, String name) {
        String key = key(kind, namespace, name);
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return Optional.ofNullable(objects.get(key));
    }

    public int calls(String kind, String name) {
        AtomicInteger count = calls.get(key(kind, NS, name));
        return count == null ? 0 : count.get();
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<String, Integer> callsByObject() {
        Map<String, Integer> byObject = new HashMap<>();
        calls.forEach((key, count) -> byObject.put(key, count.get()));
        return byObject;
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }
}
