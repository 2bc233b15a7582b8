package io.kubesentry.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what {@code kubectl get events -A -o json} prints: a List of core/v1 Events (events.k8s.io/v1 too),
 * or a single Event. An item that is not a readable Event is logged and skipped.
 */
public final class RecordedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedEvents() {
    }

    public static List<Object> read(InputStream input) throws IOException {
        JsonNode root = JSON.readTree(input);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object: the output of kubectl get events -A -o json");
        }
        JsonNode items = root.has("items") ? root.get("items") : JSON.createArrayNode().add(root);
        List<Object> events = new ArrayList<>();
        int index = 0;
        for (JsonNode item : items) {
            Object event = event(item);
            if (event != null) {
                events.add(event);
            } else {
                LOG.warn("Skipped item {}: not a Kubernetes Event (kind {}, apiVersion {})", index,
                        item.path("kind").asText("?"), item.path("apiVersion").asText("?"));
            }
            index++;
        }
        return events;
    }

    private static Object event(JsonNode item) {
        String apiVersion = item.path("apiVersion").asText("v1");
        if (!"Event".equals(item.path("kind").asText("Event"))) {
            return null;
        }
        Class<?> type = apiVersion.startsWith("events.k8s.io/")
                ? io.fabric8.kubernetes.api.model.events.v1.Event.class
                : io.fabric8.kubernetes.api.model.Event.class;
        try {
            return Serialization.jsonMapper().treeToValue(item, type);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Skipped an unreadable Event: {}", e.getMessage());
            return null;
        }
    }
}
