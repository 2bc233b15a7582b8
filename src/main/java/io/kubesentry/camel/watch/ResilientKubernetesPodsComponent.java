package io.kubesentry.camel.watch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.pods.KubernetesPodsComponent;
import org.apache.camel.component.kubernetes.pods.KubernetesPodsEndpoint;

/** camel-kubernetes' {@code kubernetes-pods} with a consumer that survives {@code 410 Gone}. */
public final class ResilientKubernetesPodsComponent extends KubernetesPodsComponent {

    private final WatchStatus watchStatus;
    private final KubernetesClient watchClient;

    /** @param watchClient the client the watches run on ({@link io.kubesentry.kubernetes.InlineDeliveries}); lists use the component's */
    public ResilientKubernetesPodsComponent(WatchStatus status, KubernetesClient watchClient) {
        this.watchStatus = status;
        this.watchClient = watchClient;
    }

    @Override
    protected KubernetesPodsEndpoint doCreateEndpoint(String uri, String remaining, KubernetesConfiguration config) {
        return new KubernetesPodsEndpoint(uri, this, config) {
            @Override
            public Consumer createConsumer(Processor processor) throws Exception {
                String namespace = config.getNamespace();
                Consumer consumer = new ResilientWatchConsumer<Pod, PodList,
                        FilterWatchListDeletable<Pod, PodList, PodResource>>(this, processor, "pods", "pods",
                        client -> namespace == null || namespace.isEmpty()
                                ? client.pods().inAnyNamespace()
                                : client.pods().inNamespace(namespace),
                        watchClient, watchStatus, pod -> true);
                configureConsumer(consumer);
                return consumer;
            }
        };
    }
}
