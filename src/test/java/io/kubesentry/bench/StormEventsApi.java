package io.kubesentry.bench;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storm's Events ({@code events.k8s.io/v1}) served the way a real API server serves them: a write is stored
 * under its namespace and name, given the next resourceVersion, answered, and sent to every open watch as
 * ADDED or MODIFIED. Everything else (pods, ReplicaSets, Deployments, namespaces, the benchmark's ConfigMap)
 * goes to the mock's CRUD store as before.
 *
 * <p>Why not the CRUD store: the fabric8 mock (7.5.2) matches each write against the attributes of every stored
 * object, under one lock, on one event-loop thread; with the storm's 1,200 Event objects it accepted about 750
 * writes per second here. A watch here delivers what changes after it opened, as a real watch from a list's
 * resourceVersion does.
 *
 * <p>Writes come over HTTP (POST, PUT) or, by default, from the benchmark's writers in this process
 * ({@link #create(Event)}, {@link #update(Event)}): one HTTP write through the fabric8 client and the mock
 * costs about 2 ms of CPU here, so on two cores the writers, not the agent, would set the pace. Either way
 * the agent receives every change over its own watch from this server.
 */
final class StormEventsApi extends Dispatcher {

    private static final Pattern EVENTS = Pattern.compile(
            "/apis/events\\.k8s\\.io/v1(?:/namespaces/([^/]+))?/events(?:/([^/]+))?");

    private final Dispatcher crud;
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
    private final AtomicLong resourceVersion = new AtomicLong(1_000);

    private StormEventsApi(Dispatcher crud) {
        this.crud = crud;
    }

    /** Puts the Events API in front of the server's own dispatcher. */
    static StormEventsApi install(KubernetesMockServer server) throws ReflectiveOperationException {
        Dispatcher crud = StoredEventsApi.dispatcherOf(server);
        StormEventsApi api = new StormEventsApi(crud);
        StoredEventsApi.replaceDispatcher(server, api);
        return api;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        int question = path.indexOf('?');
        Matcher events = EVENTS.matcher(question < 0 ? path : path.substring(0, question));
        if (!events.matches()) {
            return crud.dispatch(request);
        }
        String query = question < 0 ? "" : path.substring(question + 1);
        String namespace = events.group(1);
        String name = events.group(2);
        return switch (request.getMethod()) {
            case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? watch()
                    : name == null ? list(namespace) : get(namespace, name);
            case "POST" -> namespace == null || name != null ? status(405, "MethodNotAllowed")
                    : create(namespace, request.getUtf8Body());
            case "PUT" -> name == null ? status(405, "MethodNotAllowed") : replace(namespace, name,
                    request.getUtf8Body());
            default -> crud.dispatch(request);
        };
    }

    private MockResponse watch() {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, io.fabric8.mockwebserver.http.Response response) {
                watches.add(webSocket);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                watches.remove(webSocket);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable failure,
                    io.fabric8.mockwebserver.http.Response response) {
                watches.remove(webSocket);
            }
        });
    }

    private MockResponse create(String namespace, String body) {
        Event event = Serialization.unmarshal(body, Event.class);
        if (event.getMetadata() == null || event.getMetadata().getName() == null) {
            return status(422, "Invalid");
        }
        event.getMetadata().setNamespace(namespace);
        return written(event, true).map(json -> answer(201, json)).orElseGet(() -> status(409, "AlreadyExists"));
    }

    private MockResponse replace(String namespace, String name, String body) {
        Event event = Serialization.unmarshal(body, Event.class);
        event.getMetadata().setNamespace(namespace);
        event.getMetadata().setName(name);
        return written(event, false).map(json -> answer(200, json)).orElseGet(() -> status(404, "NotFound"));
    }

    /** A new Event written in this process, as a POST would: it comes back with its version. */
    Event create(Event event) {
        return written(event, true).map(json -> event)
                .orElseThrow(() -> new IllegalStateException("exists: " + event.getMetadata().getName()));
    }

    /** An Event written again in this process (its count grown), as a PUT would. */
    Event update(Event event) {
        return written(event, false).map(json -> event)
                .orElseThrow(() -> new IllegalStateException("not found: " + event.getMetadata().getName()));
    }

    /** A creation gets a uid (unless it has one) and its creation time; either gets the next resourceVersion. */
    private Optional<String> written(Event event, boolean create) {
        ObjectMeta metadata = event.getMetadata();
        if (create) {
            if (metadata.getUid() == null) {
                metadata.setUid(UUID.randomUUID().toString());
            }
            metadata.setCreationTimestamp(now());
        }
        return stored(metadata.getNamespace(), metadata.getName(), create, version -> {
            metadata.setResourceVersion(version);
            return Serialization.asJson(event);
        });
    }

    /**
     * Stores an Event under the next resourceVersion and sends it to every open watch, in version order as a
     * real API server does; empty when it exists already ({@code create}) or not yet (a replacement).
     */
    private synchronized Optional<String> stored(String namespace, String name, boolean create,
            Function<String, String> render) {
        String key = namespace + "/" + name;
        if (stored.containsKey(key) == create) {
            return Optional.empty();
        }
        String json = render.apply(Long.toString(resourceVersion.incrementAndGet()));
        stored.put(key, json);
        String message = "{\"type\":\"" + (create ? "ADDED" : "MODIFIED") + "\",\"object\":" + json + "}";
        for (WebSocket watch : watches) {
            watch.send(message); // queued by the server: a paused agent does not hold up the writers
        }
        return Optional.of(json);
    }

    private MockResponse get(String namespace, String name) {
        String event = stored.get(namespace + "/" + name);
        return event == null ? status(404, "NotFound") : answer(200, event);
    }

    private MockResponse list(String namespace) {
        StringBuilder body = new StringBuilder("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"EventList\","
                + "\"metadata\":{\"resourceVersion\":\"").append(resourceVersion.get()).append("\"},\"items\":[");
        String prefix = namespace == null ? null : namespace + "/";
        boolean first = true;
        for (Map.Entry<String, String> entry : stored.entrySet()) {
            if (prefix == null || entry.getKey().startsWith(prefix)) {
                body.append(first ? "" : ",").append(entry.getValue());
                first = false;
            }
        }
        body.append("]}");
        return answer(200, body.toString());
    }

    private static MockResponse answer(int code, String json) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(json);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static MockResponse status(int code, String reason) {
        return answer(code, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"" + reason
                        + "\",\"code\":" + code + "}");
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }
}
