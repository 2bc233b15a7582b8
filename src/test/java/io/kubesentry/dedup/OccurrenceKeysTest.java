package io.kubesentry.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.threshold.CountedOccurrence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OccurrenceKeysTest {

    private static final Instant SEEN = Instant.parse("2024-03-01T10:00:00Z");
    private static final String MESSAGE = "Back-off restarting failed container app in pod api-7d9f8b6c5-x2k4q";

    private final OccurrenceKeys keys = new OccurrenceKeys(Optional.empty());

    /** A fluent builder of one occurrence; every field has a plausible default. */
    private static final class OccurrenceBuilder {
        private String uid = "event-uid-1";
        private String namespace = "shop";
        private String kind = "Pod";
        private String name = "api-7d9f8b6c5-x2k4q";
        private String fieldPath = "spec.containers{app}";
        private String reason = "BackOff";
        private String message = MESSAGE;
        private long count = 1;
        private Instant lastSeen = SEEN;
        private Workload workload = new Workload("Deployment", "api");
        private String node = "node-a";

        OccurrenceBuilder uid(String value) {
            uid = value;
            return this;
        }

        OccurrenceBuilder namespace(String value) {
            namespace = value;
            return this;
        }

        OccurrenceBuilder object(String objectKind, String objectName) {
            kind = objectKind;
            name = objectName;
            return this;
        }

        OccurrenceBuilder fieldPath(String value) {
            fieldPath = value;
            return this;
        }

        OccurrenceBuilder reason(String value) {
            reason = value;
            return this;
        }

        OccurrenceBuilder message(String value) {
            message = value;
            return this;
        }

        OccurrenceBuilder count(long value) {
            count = value;
            return this;
        }

        OccurrenceBuilder lastSeen(Instant value) {
            lastSeen = value;
            return this;
        }

        OccurrenceBuilder workload(String workloadKind, String workloadName) {
            workload = new Workload(workloadKind, workloadName);
            return this;
        }

        OccurrenceBuilder node(String value) {
            node = value;
            return this;
        }

        Occurrence build() {
            ClusterEvent event = new ClusterEvent(uid, namespace,
                    new InvolvedObject(kind, namespace, name, "uid-of-" + name, fieldPath), reason, message,
                    "Warning", count, SEEN, lastSeen, node, "kubelet");
            return new Occurrence(event, reason, workload, node);
        }
    }

    private static OccurrenceBuilder occurrence() {
        return new OccurrenceBuilder();
    }

    @Nested
    @DisplayName("fingerprint")
    class Fingerprint {

        @Test
        @DisplayName("is [namespace, Kind/workload, reason]")
        void shape() {
            // Given
            Occurrence occurrence = occurrence().build();

            // When
            List<String> fingerprint = keys.fingerprint(occurrence);

            // Then
            assertThat(fingerprint).containsExactly("shop", "Deployment/api", "BackOff");
        }

        @Test
        @DisplayName("never contains the pod name, the node name or the message")
        void noVolatileParts() {
            // Given
            Occurrence occurrence = occurrence().node("ip-10-0-3-17.ec2.internal").build();

            // When
            String fingerprint = String.join(" ", keys.fingerprint(occurrence));

            // Then
            assertThat(fingerprint)
                    .doesNotContain("x2k4q")
                    .doesNotContain("api-7d9f8b6c5")
                    .doesNotContain("ip-10-0-3-17")
                    .doesNotContain("Back-off restarting")
                    .doesNotContain("app");
        }

        @Test
        @DisplayName("is the same for two pods of one Deployment on different nodes with different messages")
        void sameForPodsOfOneWorkload() {
            // Given
            Occurrence first = occurrence().object("Pod", "api-7d9f8b6c5-x2k4q").node("node-a").build();
            Occurrence second = occurrence().uid("event-uid-2").object("Pod", "api-7d9f8b6c5-p9r7t")
                    .node("node-b").fieldPath("spec.containers{sidecar}")
                    .message("Back-off restarting failed container sidecar in pod api-7d9f8b6c5-p9r7t")
                    .count(12).build();

            // When / Then
            assertThat(keys.fingerprint(second)).isEqualTo(keys.fingerprint(first));
        }

        @ParameterizedTest(name = "differs by {0}")
        @CsvSource({"namespace", "workload", "reason"})
        @DisplayName("differs when namespace, workload or reason differs")
        void differsByItsParts(String part) {
            // Given
            Occurrence base = occurrence().build();
            OccurrenceBuilder other = occurrence();
            switch (part) {
                case "namespace" -> other.namespace("payments");
                case "workload" -> other.workload("StatefulSet", "api");
                default -> other.reason("OOMKilled");
            }

            // When / Then
            assertThat(keys.fingerprint(other.build())).isNotEqualTo(keys.fingerprint(base));
        }
    }

    @Nested
    @DisplayName("incident key")
    class Incident {

        @Test
        @DisplayName("is the fingerprint joined into one string")
        void joinedFingerprint() {
            // Given
            CountedOccurrence counted = CountedOccurrence.first(occurrence().build());

            // When
            String incident = keys.incident(counted);

            // Then
            assertThat(incident).isEqualTo("default|shop|Deployment/api|BackOff");
        }

        @Test
        @DisplayName("is shared by two pods of one Deployment")
        void sharedByPodsOfOneDeployment() {
            // Given
            CountedOccurrence first = CountedOccurrence.first(occurrence().object("Pod", "api-7d9f8b6c5-x2k4q").build());
            CountedOccurrence second = CountedOccurrence.first(occurrence().uid("event-uid-2")
                    .object("Pod", "api-7d9f8b6c5-p9r7t").node("node-b").build());

            // When / Then
            assertThat(keys.incident(second)).isEqualTo(keys.incident(first));
        }
    }

    @Nested
    @DisplayName("object key")
    class ObjectKey {

        @Test
        @DisplayName("names namespace, object, container and reason")
        void shape() {
            // Given
            Occurrence occurrence = occurrence().build();

            // When
            String object = keys.object(occurrence);

            // Then
            assertThat(object).isEqualTo("shop|Pod|api-7d9f8b6c5-x2k4q|app|BackOff");
        }

        @Test
        @DisplayName("differs per pod of one Deployment")
        void differsPerPod() {
            // Given
            Occurrence first = occurrence().object("Pod", "api-7d9f8b6c5-x2k4q").build();
            Occurrence second = occurrence().object("Pod", "api-7d9f8b6c5-p9r7t").build();

            // When / Then
            assertThat(keys.object(second)).isNotEqualTo(keys.object(first));
        }

        @ParameterizedTest(name = "{0} vs {1}")
        @CsvSource({
            "spec.containers{app}, spec.containers{sidecar}",
            "spec.containers{app}, spec.initContainers{migrate}",
            "spec.containers{app}, ''"})
        @DisplayName("differs per container of one pod")
        void differsPerContainer(String fieldPath, String otherFieldPath) {
            // Given
            Occurrence first = occurrence().fieldPath(fieldPath).build();
            Occurrence second = occurrence().fieldPath(otherFieldPath).build();

            // When / Then
            assertThat(keys.object(second)).isNotEqualTo(keys.object(first));
        }

        @Test
        @DisplayName("is the same for repeats of one container's reason whatever the count, node or message")
        void sameForRepeats() {
            // Given
            Occurrence first = occurrence().count(1).build();
            Occurrence later = occurrence().uid("event-uid-2").count(9).lastSeen(SEEN.plusSeconds(300))
                    .message("another wording").build();

            // When / Then
            assertThat(keys.object(later)).isEqualTo(keys.object(first));
        }
    }

    @Nested
    @DisplayName("delivery key")
    class Delivery {

        @Test
        @DisplayName("is the same when a watch re-list delivers the same event again")
        void sameForRedelivery() {
            // Given
            Occurrence first = occurrence().count(3).build();
            Occurrence again = occurrence().count(3).build();

            // When / Then
            assertThat(keys.delivery(again)).isEqualTo(keys.delivery(first));
        }

        @Test
        @DisplayName("differs when the event's count grows")
        void differsWhenCountGrows() {
            // Given
            Occurrence third = occurrence().count(3).build();
            Occurrence fourth = occurrence().count(4).lastSeen(SEEN.plusSeconds(10)).build();
            Occurrence fourthSameSecond = occurrence().count(4).build();

            // When / Then
            assertThat(keys.delivery(fourth)).isNotEqualTo(keys.delivery(third));
            assertThat(keys.delivery(fourthSameSecond)).isNotEqualTo(keys.delivery(third));
        }

        @Test
        @DisplayName("differs between two Event objects with the same count")
        void differsPerEventUid() {
            // Given
            Occurrence first = occurrence().uid("event-uid-1").build();
            Occurrence second = occurrence().uid("event-uid-2").build();

            // When / Then
            assertThat(keys.delivery(second)).isNotEqualTo(keys.delivery(first));
        }
    }
}
