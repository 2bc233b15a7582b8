package io.kubesentry.bench;

import com.sun.management.ThreadMXBean;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubesentry.app.AgentClients;
import io.kubesentry.support.MockCluster;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One storm message read over and over in the benchmark's process, by fabric8's own JSON mapping and by the
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

    private WatchDecoding() {
    }

    static Result measure() throws Exception {
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
