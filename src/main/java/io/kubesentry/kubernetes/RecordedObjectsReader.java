package io.kubesentry.kubernetes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads what {@code kubectl get events,pods -A -o json} prints, one item at a time: a List (of core/v1 or
 * events.k8s.io/v1 Events and Pods), or a single object. Only the item being read is in memory, so a recording
 * of any size replays in a small heap. An item that is not a readable Event or Pod is skipped and told to
 * {@link Sink#skipped}; an input that is no such document at all is an {@link UnreadableRecordingException}.
 */
public final class RecordedObjectsReader {

    static final String EXPECTED = "expected the JSON that kubectl get events,pods -A -o json prints";

    private static final ObjectMapper TREES = new ObjectMapper();

    /** Where the items go as they are read. */
    public interface Sink {
        /** An Event (core/v1 or events.k8s.io/v1) or a Pod, with its index in the input. */
        void item(int index, Object object);

        void skipped(int index, String why);
    }

    /** Which items a reading delivers: a file is read twice, Pods first, so that Events find their owners and causes. */
    public enum Pass {
        ALL, PODS, ALL_BUT_PODS;

        boolean delivers(String kind) {
            return switch (this) {
                case ALL -> true;
                case PODS -> kind.equals("Pod");
                case ALL_BUT_PODS -> !kind.equals("Pod");
            };
        }
    }

    private RecordedObjectsReader() {
    }

    public static boolean isPod(Object item) {
        return item instanceof Pod;
    }

    /** What an item delivered to a {@link Sink} is: {@code Pod namespace/name}, {@code Event namespace/name}. */
    public static String kindAndName(Object item) {
        String kind = isPod(item) ? "Pod" : "Event";
        String name = "";
        if (item instanceof HasMetadata object && object.getMetadata() != null) {
            String namespace = Objects.requireNonNullElse(object.getMetadata().getNamespace(), "");
            name = (namespace.isEmpty() ? "" : namespace + "/") + Objects.toString(object.getMetadata().getName(), "?");
        }
        return kind + " " + name;
    }

    public static void read(InputStream input, String name, Sink sink) throws UnreadableRecordingException {
        read(input, name, Pass.ALL, sink);
    }

    public static void read(InputStream input, String name, Pass pass, Sink sink) throws UnreadableRecordingException {
        JsonFactory factory = TREES.getFactory();
        try (JsonParser parser = factory.createParser(input)) {
            parser.setCodec(TREES);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw data(name, "is empty; " + EXPECTED);
            }
            if (first != JsonToken.START_OBJECT) {
                throw data(name, "holds a JSON " + describe(first) + "; " + EXPECTED + " (an object: a List or one "
                        + "Event or Pod)");
            }
            ObjectNode single = TREES.createObjectNode();
            boolean listed = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    listed = true;
                    items(parser, pass, sink, itemDefaults(single));
                } else {
                    single.set(field, parser.readValueAsTree());
                }
            }
            if (parser.nextToken() != null) {
                throw data(name, "has more after its first JSON object; " + EXPECTED);
            }
            if (!listed) {
                if (single.path("kind").asText("").endsWith("List")) {
                    throw data(name, "is a " + single.path("kind").asText() + " without items; " + EXPECTED);
                }
                one(0, single, pass, sink, single);
            }
        } catch (StreamConstraintsException e) {
            throw data(name, "is nested too deeply (" + e.getOriginalMessage() + "); " + EXPECTED);
        } catch (JsonParseException e) {
            throw data(name, "is not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + "; YAML? use -o json); " + EXPECTED);
        } catch (IOException e) {
            throw new UnreadableRecordingException(name + ": cannot read (" + e.getMessage() + ")",
                    UnreadableRecordingException.Problem.CANNOT_READ);
        }
    }

    /**
     * What an item without kind or apiVersion is: the API server's own lists ({@code EventList} from
     * {@code /api/v1/events}) leave them out of their items; kubectl's {@code List} never does.
     */
    private static ObjectNode itemDefaults(ObjectNode list) {
        String kind = list.path("kind").asText("");
        ObjectNode defaults = TREES.createObjectNode();
        defaults.put("kind", kind.endsWith("List") && !kind.equals("List")
                ? kind.substring(0, kind.length() - "List".length()) : "Event");
        defaults.put("apiVersion", list.path("apiVersion").asText("v1"));
        return defaults;
    }

    private static void items(JsonParser parser, Pass pass, Sink sink, ObjectNode defaults) throws IOException {
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new JsonParseException(parser, "the items array ends early");
            }
            JsonNode item = parser.readValueAsTree();
            one(index++, item, pass, sink, defaults);
        }
    }

    private static void one(int index, JsonNode item, Pass pass, Sink sink, JsonNode defaults) {
        String kind = item.path("kind").asText(defaults.path("kind").asText("Event"));
        if (!pass.delivers(kind)) {
            return;
        }
        if (!item.isObject()) {
            sink.skipped(index, "a JSON " + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a Kubernetes object");
            return;
        }
        String apiVersion = item.path("apiVersion").asText(defaults.path("apiVersion").asText("v1"));
        Class<?> type = switch (kind) {
            case "Event" -> apiVersion.startsWith("events.k8s.io/")
                    ? io.fabric8.kubernetes.api.model.events.v1.Event.class
                    : io.fabric8.kubernetes.api.model.Event.class;
            case "Pod" -> Pod.class;
            default -> null;
        };
        if (type == null) {
            sink.skipped(index, "a " + kind + ", not an Event or a Pod");
            return;
        }
        Object object;
        try {
            object = Serialization.jsonMapper().treeToValue(item, type);
        } catch (IOException | IllegalArgumentException e) {
            sink.skipped(index, "an unreadable " + kind + " (" + firstLine(e.getMessage()) + ")");
            return;
        }
        sink.item(index, object);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            default -> "value";
        };
    }

    private static UnreadableRecordingException data(String name, String problem) {
        return new UnreadableRecordingException(name + " " + problem,
                UnreadableRecordingException.Problem.NOT_KUBECTL_JSON);
    }
}
