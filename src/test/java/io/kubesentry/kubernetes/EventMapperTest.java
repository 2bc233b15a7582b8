package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.MalformedEventException;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventMapperTest {

    private static final String NO_NODES = "No nodes are available that match all of the predicates: Insufficient cpu (19),"
            + " Insufficient memory (19), PodToleratesNodeTaints (10).";

    private final EventMapper mapper = new EventMapper();

    @Nested
    @DisplayName("events.k8s.io/v1, what the watch delivers")
    class EventsV1 {

        @Test
        @DisplayName("maps a scheduler event that has only eventTime and a series")
        void schedulerEvent() {
            // Given
            var event = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                    .withNewMetadata()
                        .withName("resource-test-bdfcd9f5-g8jq5.157e0a42f7ead471")
                        .withNamespace("default")
                        .withUid("10dd4b2d-230b-11e9-8472-22d09ddc4668")
                        .withCreationTimestamp("2019-01-28T14:43:24Z")
                    .endMetadata()
                    .withNewRegarding()
                        .withKind("Pod")
                        .withNamespace("default")
                        .withName("resource-test-bdfcd9f5-g8jq5")
                        .withUid("10dafd77-230b-11e9-8472-22d09ddc4668")
                    .endRegarding()
                    .withType("Warning")
                    .withReason("FailedScheduling")
                    .withNote(NO_NODES)
                    .withEventTime(new MicroTime("2019-01-28T14:43:24.118532Z"))
                    .withNewSeries().withCount(12).withNewLastObservedTime("2019-01-28T14:45:34.920871Z").endSeries()
                    .withReportingController("default-scheduler")
                    .withReportingInstance("default-scheduler-master-0")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.uid()).isEqualTo("10dd4b2d-230b-11e9-8472-22d09ddc4668");
            assertThat(mapped.namespace()).isEqualTo("default");
            assertThat(mapped.object()).isEqualTo(new InvolvedObject("Pod", "default", "resource-test-bdfcd9f5-g8jq5",
                    "10dafd77-230b-11e9-8472-22d09ddc4668", ""));
            assertThat(mapped.reason()).isEqualTo("FailedScheduling");
            assertThat(mapped.message()).isEqualTo(NO_NODES);
            assertThat(mapped.isWarning()).isTrue();
            assertThat(mapped.count()).isEqualTo(12);
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2019-01-28T14:43:24.118532Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2019-01-28T14:45:34.920871Z"));
            assertThat(mapped.source()).isEqualTo("default-scheduler");
            assertThat(mapped.reportingNode()).as("a scheduler instance is not a node").isEmpty();
        }

        @Test
        @DisplayName("maps a kubelet event with deprecated count and timestamps, and its node from reportingInstance")
        void kubeletEvent() {
            // Given
            var event = kubeletBackOff()
                    .withDeprecatedCount(72)
                    .withDeprecatedFirstTimestamp("2022-10-20T09:40:00Z")
                    .withDeprecatedLastTimestamp("2022-10-20T09:55:07Z")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.object().container()).contains("manager");
            assertThat(mapped.message()).isEqualTo("Back-off restarting failed container manager");
            assertThat(mapped.count()).isEqualTo(72);
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2022-10-20T09:40:00Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2022-10-20T09:55:07Z"));
            assertThat(mapped.reportingNode()).isEqualTo("cloud-dev");
            assertThat(mapped.source()).isEqualTo("kubelet");
        }

        @ParameterizedTest(name = "deprecatedCount={0}, series.count={1} -> {2}")
        @DisplayName("takes the larger of deprecatedCount and series.count, and at least 1")
        @CsvSource({"3, 7, 7", "9, 2, 9", ", 4, 4", "5, , 5", ", , 1", "0, , 1"})
        void countIsTheMaximum(Integer deprecatedCount, Integer seriesCount, long expected) {
            // Given
            var builder = kubeletBackOff().withDeprecatedCount(deprecatedCount);
            if (seriesCount != null) {
                builder.withNewSeries().withCount(seriesCount)
                        .withNewLastObservedTime("2022-10-20T09:55:07.000000Z").endSeries();
            }

            // When
            ClusterEvent mapped = mapper.toClusterEvent(builder.build());

            // Then
            assertThat(mapped.count()).isEqualTo(expected);
        }

        @Test
        @DisplayName("spans from the earliest to the latest of the deprecated timestamps, eventTime and the series")
        void timestampsSpanAllSources() {
            // Given
            var event = kubeletBackOff()
                    .withDeprecatedFirstTimestamp("2022-10-20T09:40:01Z")
                    .withDeprecatedLastTimestamp("2022-10-20T09:50:00Z")
                    .withEventTime(new MicroTime("2022-10-20T09:40:00.500000Z"))
                    .withNewSeries().withCount(3).withNewLastObservedTime("2022-10-20T09:55:07.250000Z").endSeries()
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2022-10-20T09:40:00.500Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2022-10-20T09:55:07.250Z"));
        }

        @Test
        @DisplayName("falls back to the creation timestamp when the event carries no time of its own")
        void creationTimestampFallback() {
            // When
            ClusterEvent mapped = mapper.toClusterEvent(kubeletBackOff().build());

            // Then
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2022-10-20T09:40:00Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2022-10-20T09:40:00Z"));
        }

        @Test
        @DisplayName("prefers deprecatedSource.host over reportingInstance as the node")
        void sourceHostWins() {
            // Given
            var event = kubeletBackOff()
                    .withReportingInstance("kubelet-instance")
                    .withNewDeprecatedSource("kubelet", "k8s-worker-2")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.reportingNode()).isEqualTo("k8s-worker-2");
        }

        @Test
        @DisplayName("takes the component from deprecatedSource when there is no reportingController")
        void componentFromDeprecatedSource() {
            // Given
            var event = kubeletBackOff()
                    .withReportingController(null)
                    .withReportingInstance(null)
                    .withNewDeprecatedSource("kernel-monitor", "worker-3")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.source()).isEqualTo("kernel-monitor");
            assertThat(mapped.reportingNode()).isEqualTo("worker-3");
        }

        @Test
        @DisplayName("strips the \"(combined from similar events): \" prefix from the note")
        void stripsCombinedPrefix() {
            // Given
            var event = kubeletBackOff()
                    .withNote("(combined from similar events): Back-off restarting failed container manager")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.message()).isEqualTo("Back-off restarting failed container manager");
        }

        @Test
        @DisplayName("gives a regarding object without namespace the event's namespace")
        void regardingNamespaceFromEvent() {
            // Given
            var event = kubeletBackOff()
                    .editRegarding().withNamespace(null).endRegarding()
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.object().namespace()).isEqualTo("xxx");
        }

        private io.fabric8.kubernetes.api.model.events.v1.EventBuilder kubeletBackOff() {
            return new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                    .withNewMetadata()
                        .withName("xxx-controller-manager-7c8fcd5fff-4fprb.171fb2b0b7b8e1f2")
                        .withNamespace("xxx")
                        .withUid("6b0e4c4e-1f4e-4c7e-9a53-0d2b7f3c9a10")
                        .withCreationTimestamp("2022-10-20T09:40:00Z")
                    .endMetadata()
                    .withNewRegarding()
                        .withKind("Pod")
                        .withNamespace("xxx")
                        .withName("xxx-controller-manager-7c8fcd5fff-4fprb")
                        .withUid("a3c1f0de-0b7e-4c57-8f43-2b1d7c0e5f21")
                        .withFieldPath("spec.containers{manager}")
                    .endRegarding()
                    .withType("Warning")
                    .withReason("BackOff")
                    .withNote("Back-off restarting failed container manager")
                    .withReportingController("kubelet")
                    .withReportingInstance("cloud-dev");
        }
    }

    @Nested
    @DisplayName("core/v1, what kubectl get events -o json prints")
    class CoreV1 {

        @Test
        @DisplayName("maps involvedObject, message, count, timestamps and source")
        void mapsCoreEvent() {
            // Given: the repeated Pulled event of kubernetes-retired/contrib#2361
            var event = pulledEvent().build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.uid()).isEqualTo("3841d97e-e84e-11e6-814a-201610140000");
            assertThat(mapped.object()).isEqualTo(new InvolvedObject("Pod", "default", "nginx-ingress-controller-s39ht",
                    "33bd084c-e84e-11e6-814a-201610140000", "spec.containers{nginx-ingress-lb}"));
            assertThat(mapped.object().container()).contains("nginx-ingress-lb");
            assertThat(mapped.reason()).isEqualTo("Pulled");
            assertThat(mapped.message())
                    .isEqualTo("Successfully pulled image \"gcr.io/google_containers/nginx-ingress-controller:0.8.3\"");
            assertThat(mapped.type()).isEqualTo("Normal");
            assertThat(mapped.isWarning()).isFalse();
            assertThat(mapped.count()).isEqualTo(6);
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2017-02-01T07:15:32Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2017-02-01T07:18:11Z"));
            assertThat(mapped.source()).isEqualTo("kubelet");
            assertThat(mapped.reportingNode()).isEqualTo("k8s-worker-2");
        }

        @Test
        @DisplayName("maps a FailedScheduling event as kubectl describe event printed it")
        void mapsFailedScheduling() {
            // Given: sapcc/helm-charts#548
            var event = new EventBuilder()
                    .withNewMetadata()
                        .withName("resource-test-bdfcd9f5-g8jq5.157e0a42f7ead471")
                        .withNamespace("default")
                        .withUid("10dd4b2d-230b-11e9-8472-22d09ddc4668")
                        .withCreationTimestamp("2019-01-28T14:43:24Z")
                    .endMetadata()
                    .withNewInvolvedObject()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName("resource-test-bdfcd9f5-g8jq5")
                        .withNamespace("default")
                        .withUid("10dafd77-230b-11e9-8472-22d09ddc4668")
                    .endInvolvedObject()
                    .withCount(12)
                    .withFirstTimestamp("2019-01-28T14:43:24Z")
                    .withLastTimestamp("2019-01-28T14:45:34Z")
                    .withMessage(NO_NODES)
                    .withReason("FailedScheduling")
                    .withType("Warning")
                    .withNewSource().withComponent("default-scheduler").endSource()
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.reason()).isEqualTo("FailedScheduling");
            assertThat(mapped.message()).isEqualTo(NO_NODES);
            assertThat(mapped.count()).isEqualTo(12);
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2019-01-28T14:43:24Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2019-01-28T14:45:34Z"));
            assertThat(mapped.source()).isEqualTo("default-scheduler");
            assertThat(mapped.reportingNode()).isEmpty();
        }

        @Test
        @DisplayName("uses eventTime and the series when an events.k8s.io event is read through core/v1")
        void seriesThroughCoreV1() {
            // Given
            var event = pulledEvent()
                    .withCount(null)
                    .withFirstTimestamp(null)
                    .withLastTimestamp(null)
                    .withEventTime(new MicroTime("2017-02-01T07:15:32.100000Z"))
                    .withNewSeries().withCount(9).withNewLastObservedTime("2017-02-01T07:20:00.000000Z").endSeries()
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.count()).isEqualTo(9);
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2017-02-01T07:15:32.100Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2017-02-01T07:20:00Z"));
        }

        @Test
        @DisplayName("takes the node from a kubelet's reportingInstance when there is no source.host")
        void nodeFromReportingInstance() {
            // Given
            var event = pulledEvent()
                    .withSource(null)
                    .withReportingComponent("kubelet")
                    .withReportingInstance("k8s-worker-2")
                    .build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.reportingNode()).isEqualTo("k8s-worker-2");
            assertThat(mapped.source()).isEqualTo("kubelet");
        }

        @Test
        @DisplayName("strips the \"(combined from similar events): \" prefix from the message")
        void stripsCombinedPrefix() {
            // Given
            var event = pulledEvent()
                    .withMessage("(combined from similar events): Error: ImagePullBackOff")
                    .build();

            // When / Then
            assertThat(mapper.toClusterEvent(event).message()).isEqualTo("Error: ImagePullBackOff");
        }

        @Test
        @DisplayName("falls back to the creation timestamp when the event carries no time of its own")
        void creationTimestampFallback() {
            // Given
            var event = pulledEvent().withFirstTimestamp(null).withLastTimestamp(null).build();

            // When
            ClusterEvent mapped = mapper.toClusterEvent(event);

            // Then
            assertThat(mapped.firstSeen()).isEqualTo(Instant.parse("2017-02-01T07:15:33Z"));
            assertThat(mapped.lastSeen()).isEqualTo(Instant.parse("2017-02-01T07:15:33Z"));
        }

        private EventBuilder pulledEvent() {
            return new EventBuilder()
                    .withNewMetadata()
                        .withName("nginx-ingress-controller-s39ht.149f187e544c8727")
                        .withNamespace("default")
                        .withUid("3841d97e-e84e-11e6-814a-201610140000")
                        .withCreationTimestamp("2017-02-01T07:15:33Z")
                    .endMetadata()
                    .withNewInvolvedObject()
                        .withKind("Pod")
                        .withNamespace("default")
                        .withName("nginx-ingress-controller-s39ht")
                        .withUid("33bd084c-e84e-11e6-814a-201610140000")
                        .withApiVersion("v1")
                        .withResourceVersion("470267")
                        .withFieldPath("spec.containers{nginx-ingress-lb}")
                    .endInvolvedObject()
                    .withReason("Pulled")
                    .withMessage("Successfully pulled image \"gcr.io/google_containers/nginx-ingress-controller:0.8.3\"")
                    .withNewSource("kubelet", "k8s-worker-2")
                    .withFirstTimestamp("2017-02-01T07:15:32Z")
                    .withLastTimestamp("2017-02-01T07:18:11Z")
                    .withCount(6)
                    .withType("Normal");
        }
    }

    @Nested
    @DisplayName("malformed input")
    class Malformed {

        @Test
        @DisplayName("an events.k8s.io event without regarding is rejected, naming the event")
        void missingRegarding() {
            // Given
            var event = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                    .withNewMetadata().withName("orphan.1").withNamespace("shop").endMetadata()
                    .withReason("BackOff")
                    .build();

            // When / Then
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent(event))
                    .withMessageContaining("shop/orphan.1");
        }

        @Test
        @DisplayName("a core/v1 event without involvedObject is rejected")
        void missingInvolvedObject() {
            // Given
            var event = new EventBuilder()
                    .withNewMetadata().withName("orphan.2").withNamespace("shop").endMetadata()
                    .withReason("Failed")
                    .build();

            // When / Then
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent(event))
                    .withMessageContaining("shop/orphan.2");
        }

        @Test
        @DisplayName("an event without metadata is rejected")
        void missingMetadata() {
            // Given
            var event = new EventBuilder()
                    .withNewInvolvedObject().withKind("Pod").withName("api-0").endInvolvedObject()
                    .build();

            // When / Then
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent(event))
                    .withMessageContaining("metadata");
        }

        @Test
        @DisplayName("a body that is not an Event is rejected, naming its type")
        void notAnEvent() {
            // Given
            var pod = new PodBuilder().withNewMetadata().withName("api-0").endMetadata().build();

            // When / Then
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent(pod))
                    .withMessageContaining("io.fabric8.kubernetes.api.model.Pod");
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent("{\"kind\":\"Event\"}"))
                    .withMessageContaining("java.lang.String");
            assertThatExceptionOfType(MalformedEventException.class)
                    .isThrownBy(() -> mapper.toClusterEvent(null))
                    .withMessageContaining("null");
        }
    }
}
