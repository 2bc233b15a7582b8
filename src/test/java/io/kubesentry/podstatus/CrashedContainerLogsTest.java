package io.kubesentry.podstatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerLog;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CrashedContainerLogsTest {

    private final List<String> reads = new ArrayList<>();
    private final CrashedContainerLogs logs = new CrashedContainerLogs((namespace, pod, container) -> {
        reads.add(namespace + "/" + pod + "/" + container);
        return Optional.of("java.lang.OutOfMemoryError: Java heap space");
    });

    @Test
    void anOomKilledContainerGetsWhatItLastWrote() {
        Occurrence attached = logs.attach(occurrence("OOMKilled", "Pod", "spec.containers{app}"));

        assertThat(attached.previousLog())
                .contains(new ContainerLog("app", "java.lang.OutOfMemoryError: Java heap space"));
        assertThat(reads).containsExactly("shop/api-7d4b9c-x2x7q/app");
    }

    @Test
    void aCrashLoopToo() {
        assertThat(logs.attach(occurrence("CrashLoopBackOff", "Pod", "spec.containers{app}")).previousLog())
                .isPresent();
    }

    @Test
    void otherReasonsAndObjectsAreNotRead() {
        assertThat(logs.attach(occurrence("FailedScheduling", "Pod", "")).previousLog()).isEmpty();
        assertThat(logs.attach(occurrence("OOMKilled", "Pod", "")).previousLog())
                .as("no container named").isEmpty();
        assertThat(logs.attach(occurrence("OOMKilled", "Node", "")).previousLog()).isEmpty();
        assertThat(reads).isEmpty();
    }

    @Test
    void anEmptyLogLeavesTheOccurrenceAsItWas() {
        Occurrence crash = occurrence("OOMKilled", "Pod", "spec.containers{app}");

        assertThat(new CrashedContainerLogs((namespace, pod, container) -> Optional.empty()).attach(crash))
                .isEqualTo(crash);
    }

    private static Occurrence occurrence(String reason, String kind, String fieldPath) {
        String name = kind.equals("Pod") ? "api-7d4b9c-x2x7q" : "node-1";
        InvolvedObject object = new InvolvedObject(kind, kind.equals("Pod") ? "shop" : "", name, "", fieldPath);
        Instant at = Instant.parse("2026-12-07T02:00:00Z");
        ClusterEvent event = new ClusterEvent("0f1e2d3c-0000-4000-8000-000000000001", object.namespace(), object,
                reason, "Back-off restarting failed container app", "Warning", 1, at, at, "node-1", "kubelet");
        return new Occurrence(event, reason, new Workload("Deployment", "api"), "node-1");
    }
}
