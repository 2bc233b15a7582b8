package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's mapping reads every watch message into what fabric8's own reads, and an object whose kind leads
 * (as an API server writes it) in one pass over the message: a value that does not fit is reported where it
 * stands in the message, which a read of a tree built first cannot say.
 */
class KindFirstDeserializerTest {

    private static final String EVENT = """
            {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web-1.17a","namespace":"shop",
            "uid":"u-1","resourceVersion":"42","creationTimestamp":"2026-12-01T10:00:00Z"},
            "eventTime":"2026-12-01T10:00:00.123456Z","reportingController":"kubelet","reportingInstance":"node-1",
            "action":"Killing","reason":"BackOff","regarding":{"kind":"Pod","namespace":"shop","name":"web-1",
            "uid":"p-1","fieldPath":"spec.containers{web}"},"note":"Back-off restarting failed container web \\u00e9\\ud83d\\udca5",
            "type":"Warning","series":{"count":7,"lastObservedTime":"2026-12-01T10:05:00.000000Z"},"deprecatedCount":7}""";

    private final KubernetesSerialization agents = AgentClients.serialization();
    private final KubernetesSerialization fabric8s = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"ADDED\",\"object\":" + EVENT + "}",
            // the object first, its type after: the reader leaves the message where the object ends
            "{\"object\":" + EVENT + ",\"type\":\"MODIFIED\"}",
            // apiVersion before kind, as fabric8 and the mock server write them
            "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"reason\":\"Unhealthy\",\"metadata\":{\"name\":\"a\"}}}",
            // kind after other fields, or missing: read as fabric8 does
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"},\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\",\"reason\":\"BackOff\"}}",
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Event\",\"reason\":\"BackOff\"}}",
            "{\"type\":\"ADDED\",\"object\":{}}",
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Event\"}}",
            // a kind nobody registered, a kind that is not a string, no object at all
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Widget\",\"apiVersion\":\"example.com/v1\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":3}}}",
            "{\"type\":\"ADDED\",\"object\":{\"kind\":7,\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"w\"}}}",
            "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":null,\"kind\":\"Event\"}}",
            "{\"type\":\"ADDED\",\"object\":null}",
            "{\"type\":\"ADDED\"}",
            // what a watch ends with
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 1 (42)\",\"reason\":\"Expired\",\"code\":410}}",
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"99\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}"})
    void readsEachMessageIntoWhatFabric8Reads(String message) {
        WatchEvent ours = agents.unmarshal(message, WatchEvent.class);

        assertThat(ours).isEqualTo(fabric8s.unmarshal(message, WatchEvent.class));
    }

    @Test
    void readsEachKindIntoItsClass() {
        assertThat(agents.unmarshal("{\"type\":\"ADDED\",\"object\":" + EVENT + "}", WatchEvent.class).getObject())
                .isInstanceOfSatisfying(Event.class, event -> {
                    assertThat(event.getSeries().getCount()).isEqualTo(7);
                    assertThat(event.getNote()).endsWith("\u00e9\ud83d\udca5");
                });
        assertThat(agents.unmarshal("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":410}}",
                WatchEvent.class).getObject()).isInstanceOf(Status.class);
        assertThat(agents.unmarshal("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Widget\",\"apiVersion\":\"example.com/v1\"}}",
                WatchEvent.class).getObject()).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void aValueThatDoesNotFitIsReportedWhereItStandsInTheMessage() {
        String message = "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\",\"deprecatedCount\":\"many\"}}";

        JsonMappingException ours = mappingFailure(agents, message);
        JsonMappingException fabric8sOwn = mappingFailure(fabric8s, message);

        assertThat(ours.getLocation().getColumnNr()).isEqualTo(message.indexOf("\"many\"") + 1);
        assertThat(fabric8sOwn.getLocation().getColumnNr()).isNotEqualTo(ours.getLocation().getColumnNr());
    }

    private static JsonMappingException mappingFailure(KubernetesSerialization serialization, String message) {
        KubernetesClientException failure = catchThrowableOfType(KubernetesClientException.class,
                () -> serialization.unmarshal(message, WatchEvent.class));
        assertThat(failure).hasCauseInstanceOf(JsonMappingException.class);
        return (JsonMappingException) failure.getCause();
    }
}
