package io.kubesentry.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells a test that the agent has processed everything written before: an Evicted Event (the events watch) and
 * an Evicted Pod status (the pods watch) of two fresh workloads, each its own issue; once both issues are at the
 * recorder, whatever each watch delivered before them has been through the routes.
 */
public final class Markers {

    private final MockCluster cluster;
    private final SentryRecorder sentry;
    private final String namespace;
    private int written;

    public Markers(MockCluster cluster, SentryRecorder sentry, String namespace) {
        this.cluster = cluster;
        this.sentry = sentry;
        this.namespace = namespace;
    }

    public void awaitProcessed(Duration atMost) {
        written++;
        String byEvent = "marker-event-" + written;
        String byStatus = "marker-status-" + written;
        cluster.deployment(namespace, byEvent, "node-9", byEvent + "-7d9f8b6c5-aaaaa");
        cluster.deployment(namespace, byStatus, "node-9", byStatus + "-7d9f8b6c5-bbbbb");
        cluster.create(cluster.podEvent(namespace, byEvent + "-7d9f8b6c5-aaaaa", "Evicted",
                "The node was low on resource: memory.", 1, Instant.now()).build());
        Pod pod = cluster.pod(namespace, byStatus + "-7d9f8b6c5-bbbbb");
        pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
        cluster.updateStatus(pod);
        await().atMost(atMost).until(() -> sentry.issues().stream()
                .map(issue -> issue.path("tags").path("k8s.deployment").asText())
                .filter(deployment -> deployment.equals(byEvent) || deployment.equals(byStatus))
                .distinct().count() == 2);
    }
}
