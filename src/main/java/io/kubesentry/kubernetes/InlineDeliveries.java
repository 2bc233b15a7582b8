package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * The client the watches run on: the agent's own settings, with each delivery handed to the routes on the
 * thread that read it. fabric8 otherwise decodes a watch's messages ahead of the routes into a queue without
 * bound, so a storm that arrives faster than the routes go holds thousands of decoded objects in the heap.
 * Delivered inline, the next message is read once the routes are done with this one, and the rest waits in
 * the connection. It shares the agent client's JSON mapping, warmed at start-up, and its caches.
 */
public final class InlineDeliveries {

    private InlineDeliveries() {
    }

    public static KubernetesClient clientLike(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withKubernetesSerialization(client.getKubernetesSerialization())
                .withHttpClientFactory(new JdkHttpClientFactory()).withTaskExecutor(Runnable::run).build();
    }
}
