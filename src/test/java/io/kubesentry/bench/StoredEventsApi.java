package io.kubesentry.bench;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events that were stored before the agent started, served as a real API server serves them to a
 * list-then-watch client: {@code GET /apis/events.k8s.io/v1/events} returns them page by page as the request's
 * {@code limit} and {@code continue} ask, and a watch from the list's resourceVersion delivers only what
 * changes afterwards (every other request, watches included, goes to the mock's CRUD store as before).
 *
 * <p>Why not create them in the CRUD store: the fabric8 mock (7.5.2) checks each creation against every stored
 * object under one lock (5,000 creations through HTTP took 14 s, so 50,000 would take some 20 minutes), ignores
 * {@code limit} and {@code continue} (one 50 MB list), and sends every stored object as ADDED on each new
 * watch whatever its resourceVersion. Each of these measures the mock, not the agent.
 */
final class StoredEventsApi extends Dispatcher {

    static final String LIST_PATH = "/apis/events.k8s.io/v1/events";
    private static final String RESOURCE_VERSION = "1000000";

    private final Dispatcher crud;
    private final List<String> items;
    private final AtomicInteger listRequests = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final Set<String> limits = new TreeSet<>();

    private StoredEventsApi(Dispatcher crud, List<String> items) {
        this.crud = crud;
        this.items = items;
    }

    /** Puts the stored events in front of the server's own dispatcher. */
    static StoredEventsApi install(KubernetesMockServer server, List<Event> events) throws ReflectiveOperationException {
        Dispatcher crud = dispatcherOf(server);
        List<String> items = new ArrayList<>(events.size());
        long version = 1;
        for (Event event : events) {
            event.getMetadata().setResourceVersion(Long.toString(version++));
            if (event.getMetadata().getCreationTimestamp() == null) {
                event.getMetadata().setCreationTimestamp(event.getDeprecatedFirstTimestamp());
            }
            items.add(Serialization.asJson(event));
        }
        StoredEventsApi api = new StoredEventsApi(crud, List.copyOf(items));
        replaceDispatcher(server, api);
        return api;
    }

    /** The mock's own dispatcher (its CRUD store): the mock offers no accessor for it. */
    static Dispatcher dispatcherOf(KubernetesMockServer server) throws ReflectiveOperationException {
        Field dispatcher = MockWebServer.class.getDeclaredField("dispatcher");
        dispatcher.setAccessible(true);
        return (Dispatcher) dispatcher.get(webServerOf(server));
    }

    static void replaceDispatcher(KubernetesMockServer server, Dispatcher dispatcher)
            throws ReflectiveOperationException {
        webServerOf(server).setDispatcher(dispatcher);
    }

    private static MockWebServer webServerOf(KubernetesMockServer server) throws ReflectiveOperationException {
        Field web = DefaultMockServer.class.getDeclaredField("server");
        web.setAccessible(true);
        return (MockWebServer) web.get(server);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        int question = path.indexOf('?');
        String base = question < 0 ? path : path.substring(0, question);
        String query = question < 0 ? "" : path.substring(question + 1);
        if ("GET".equals(request.getMethod()) && base.equals(LIST_PATH) && !query.contains("watch=true")
                && !query.contains("watch=1")) {
            return page(query);
        }
        return crud.dispatch(request);
    }

    private MockResponse page(String query) {
        listRequests.incrementAndGet();
        int limit = 0;
        int offset = 0;
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = parameter.substring(0, equals);
            String value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            if (name.equals("limit")) {
                limit = Integer.parseInt(value);
            } else if (name.equals("continue") && !value.isEmpty()) {
                offset = Integer.parseInt(value);
            }
        }
        synchronized (limits) {
            limits.add(limit > 0 ? Integer.toString(limit) : "none");
        }
        int end = limit > 0 ? Math.min(items.size(), offset + limit) : items.size();
        StringBuilder body = new StringBuilder(256 + (end - offset) * 1_200);
        body.append("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"EventList\",\"metadata\":{\"resourceVersion\":\"")
                .append(RESOURCE_VERSION).append('"');
        if (end < items.size()) {
            body.append(",\"continue\":\"").append(end).append("\",\"remainingItemCount\":").append(items.size() - end);
        }
        body.append("},\"items\":[");
        for (int i = offset; i < end; i++) {
            body.append(i > offset ? "," : "").append(items.get(i));
        }
        body.append("]}");
        served.addAndGet(end - offset);
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    int listRequests() {
        return listRequests.get();
    }

    int itemsServed() {
        return served.get();
    }

    String limitsAsked() {
        synchronized (limits) {
            return String.join(", ", limits);
        }
    }

    void resetCounts() {
        listRequests.set(0);
        served.set(0);
        synchronized (limits) {
            limits.clear();
        }
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }
}
