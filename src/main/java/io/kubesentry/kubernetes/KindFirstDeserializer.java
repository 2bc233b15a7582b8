package io.kubesentry.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.io.IOException;

/**
 * Reads the object of a watch message straight into its class when its {@code kind} and {@code apiVersion}
 * come first, as an API server writes them (Go's TypeMeta leads every object). fabric8's deserializer
 * first builds a tree of the whole object to find its kind, then binds the tree: for an Event that is most
 * of the cost of a delivery, on the watch's one thread. Anything else (the kind later or missing, an
 * unregistered kind, not an object) is read the way fabric8 reads it.
 */
public final class KindFirstDeserializer extends KubernetesDeserializer {

    private static final String KIND = "kind";
    private static final String API_VERSION = "apiVersion";

    @Override
    public KubernetesResource deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            return super.deserialize(parser, context);
        }
        TokenBuffer head = context.bufferForInputBuffering(parser);
        head.writeStartObject();
        String kind = null;
        String apiVersion = null;
        while (kind == null || apiVersion == null) {
            JsonToken token = parser.nextToken();
            String field = token == JsonToken.FIELD_NAME ? parser.currentName() : null;
            if (!KIND.equals(field) && !API_VERSION.equals(field)) {
                return asFabric8Does(parser, context, head);
            }
            head.writeFieldName(field);
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                head.copyCurrentStructure(parser);
                parser.nextToken();
                return asFabric8Does(parser, context, head);
            }
            head.writeString(parser.getText());
            if (KIND.equals(field)) {
                kind = parser.getText();
            } else {
                apiVersion = parser.getText();
            }
        }
        Class<? extends KubernetesResource> type = getRegisteredKind(apiVersion, kind);
        if (type == null) {
            parser.nextToken();
            return asFabric8Does(parser, context, head);
        }
        // Jackson's bean deserializers read on from a field name; a model class starts with the kind and
        // apiVersion it is registered under, so the two fields already read need not be read again
        parser.nextToken();
        return (KubernetesResource) context.findRootValueDeserializer(context.constructType(type))
                .deserialize(parser, context);
    }

    /** {@code head} holds the object up to the parser's current token, which is a field name or the end. */
    private KubernetesResource asFabric8Does(JsonParser parser, DeserializationContext context, TokenBuffer head)
            throws IOException {
        while (parser.currentToken() == JsonToken.FIELD_NAME) {
            head.copyCurrentStructure(parser);
            parser.nextToken();
        }
        head.writeEndObject();
        JsonParser buffered = head.asParser(parser);
        buffered.nextToken();
        return super.deserialize(buffered, context);
    }
}
