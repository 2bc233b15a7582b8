package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubesentry.support.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Watches on the client of {@link InlineDeliveries} hand each delivery to the watcher inside the read of its
 * message, so fabric8 reads (and decodes) the next one only when the watcher is done: a storm waits in the
 * connection, not as decoded objects in the heap. On a client of fabric8's defaults the watcher runs later,
 * from a queue, on a thread of its task pool.
 */
class InlineDeliveriesTest {

    private static final String READ = "io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager.onMessage";

    @Test
    void aWatchDeliversWithinTheReadOfEachMessage() throws Exception {
        try (MockCluster cluster = new MockCluster();
                KubernetesClient inline = InlineDeliveries.clientLike(cluster.client())) {
            List<Boolean> deliveredWithinRead = watchThreeEvents(cluster, inline);

            assertThat(deliveredWithinRead).containsExactly(true, true, true);
        }
    }

    @Test
    void fabric8sDefaultClientDeliversFromAQueue() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            List<Boolean> deliveredWithinRead = watchThreeEvents(cluster, cluster.client());

            assertThat(deliveredWithinRead).containsExactly(false, false, false);
        }
    }

    @Test
    void itKeepsTheAgentClientsSettingsAndJsonMapping() throws Exception {
        try (MockCluster cluster = new MockCluster();
                KubernetesClient inline = InlineDeliveries.clientLike(cluster.client())) {
            assertThat(inline.getMasterUrl()).isEqualTo(cluster.client().getMasterUrl());
            assertThat(inline.getKubernetesSerialization()).isSameAs(cluster.client().getKubernetesSerialization());
        }
    }

    /** For each delivery: whether fabric8's read of the watch message is on the watcher's call stack. */
    private static List<Boolean> watchThreeEvents(MockCluster cluster, KubernetesClient client) throws Exception {
        List<Boolean> withinRead = new CopyOnWriteArrayList<>();
        try (Watch watch = client.events().v1().events().inNamespace("shop").watch(new Watcher<Event>() {
            @Override
            public void eventReceived(Action action, Event event) {
                withinRead.add(StackWalker.getInstance().walk(frames -> frames
                        .anyMatch(frame -> (frame.getClassName() + "." + frame.getMethodName()).equals(READ))));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            for (int i = 0; i < 3; i++) {
                cluster.create(cluster.podEvent("shop", "api-7d9f8b6c5-x" + i, "BackOff", "Back-off", 1,
                        Instant.now()).build());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> withinRead.size() >= 3);
        }
        return List.copyOf(withinRead);
    }
}
