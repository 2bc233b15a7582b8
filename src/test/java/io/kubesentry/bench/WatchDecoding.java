package io.kubesentry.bench;

import com.sun.management.ThreadMXBean;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubesentry.kubernetes.AgentClients;
import io.kubesentry.support.MockCluster;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A storm message, and the same Event as an API server writes it, read over and over in the benchmark's process, by fabric8's own JSON mapping and by the
 * agent's ({@code KindFirstDeserializer}): the CPU and the allocation of reading a watch message, which the
 * agent's watch thread does for every delivery. fabric8's figure doubles as a yardstick of the machine, for
 * tables of different days: the same code on the same input.
 */
final class WatchDecoding {

    private static final int ROUNDS = 5;
    private static final int READS_PER_ROUND = 20_000;

    record Reading(double micros, long bytes) {
    }

    record Result(int messageBytes, Reading fabric8s, Reading agents) {
    }

    record Results(Result storm, Result apiServer) {
    }

    /**
     * The storm's Event as an API server writes it: kind first, and the managedFields entry every write
     * leaves (fabric8's mock and the storm write neither).
     */
    private static final String API_SERVER_MESSAGE = """
            {"type":"MODIFIED","object":{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{            "name":"web-7d9f8b6c5d-x2k4q.backoff","namespace":"shop","uid":"0b7c6d1e-1234-4a5b-9c8d-7e6f5a4b3c2d",            "resourceVersion":"123456","creationTimestamp":"2026-12-02T08:00:00Z","managedFields":[{"manager":"kubelet",            "operation":"Update","apiVersion":"events.k8s.io/v1","time":"2026-12-02T08:05:00Z","fieldsType":"FieldsV1",            "fieldsV1":{"f:action":{},"f:deprecatedCount":{},"f:deprecatedFirstTimestamp":{},"f:deprecatedLastTimestamp":{},            "f:deprecatedSource":{"f:component":{},"f:host":{}},"f:eventTime":{},"f:note":{},"f:reason":{},"f:regarding":{},            "f:reportingController":{},"f:reportingInstance":{},"f:type":{}}}]},"eventTime":null,            "reportingController":"kubelet","reportingInstance":"node-1","action":"","reason":"BackOff","regarding":{            "kind":"Pod","namespace":"shop","name":"web-7d9f8b6c5d-x2k4q","uid":"9a8b7c6d-1234-4a5b-9c8d-7e6f5a4b3c2d",            "apiVersion":"v1","resourceVersion":"98765","fieldPath":"spec.containers{app}"},"note":"Back-off restarting             failed container app in pod web-7d9f8b6c5d-x2k4q_shop(9a8b7c6d-1234-4a5b-9c8d-7e6f5a4b3c2d)","type":"Warning",            "deprecatedSource":{"component":"kubelet","host":"node-1"},"deprecatedFirstTimestamp":"2026-12-02T08:00:00Z",            "deprecatedLastTimestamp":"2026-12-02T08:05:00Z","deprecatedCount":7}}""";

    private WatchDecoding() {
    }

    static Results measure() throws Exception {
        String message;
        KubernetesSerialization agents;
        try (MockCluster cluster = new MockCluster();
                KubernetesClient agentClient = AgentClients.from(cluster.client().getConfiguration())) {
            var event = StormBenchmark.stormEvent(cluster,
                    new StormBenchmark.StormPod("shop", "web", "web-7d9f8b6c5d-x2k4q"), "BackOff", Instant.now(), "");
            event.getMetadata().setResourceVersion("123456");
            event.getMetadata().setCreationTimestamp(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            message = "{\"type\":\"MODIFIED\",\"object\":" + cluster.client().getKubernetesSerialization().asJson(event) + "}";
            agents = agentClient.getKubernetesSerialization();
        }
        return new Results(measure(message, agents), measure(API_SERVER_MESSAGE, agents));
    }

    private static Result measure(String message, KubernetesSerialization agents) {
        KubernetesSerialization fabric8s = new KubernetesSerialization();
        List<Reading> theirs = new ArrayList<>();
        List<Reading> ours = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            theirs.add(round(fabric8s, message));
            ours.add(round(agents, message));
        }
        return new Result(message.length(), median(theirs), median(ours));
    }

    private static Reading round(KubernetesSerialization json, String message) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = threads.getCurrentThreadAllocatedBytes();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < READS_PER_ROUND; i++) {
            if (json.unmarshal(message, WatchEvent.class).getObject() == null) {
                throw new IllegalStateException("benchmark: a storm message read without its object");
            }
        }
        return new Reading((threads.getCurrentThreadCpuTime() - cpu) / 1_000.0 / READS_PER_ROUND,
                (threads.getCurrentThreadAllocatedBytes() - bytes) / READS_PER_ROUND);
    }

    private static Reading median(List<Reading> readings) {
        List<Double> micros = new ArrayList<>(readings.stream().map(Reading::micros).toList());
        List<Long> bytes = new ArrayList<>(readings.stream().map(Reading::bytes).toList());
        Collections.sort(micros);
        Collections.sort(bytes);
        return new Reading(micros.get(micros.size() / 2), bytes.get(bytes.size() / 2));
    }
}
