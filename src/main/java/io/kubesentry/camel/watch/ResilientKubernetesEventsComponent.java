package io.kubesentry.camel.watch;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Predicate;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.events.KubernetesEventsComponent;
import org.apache.camel.component.kubernetes.events.KubernetesEventsEndpoint;

/**
 * camel-kubernetes' {@code kubernetes-events} with a consumer that survives {@code 410 Gone}: same URI, same
 * options, same body (events.k8s.io/v1 Event) and headers.
 */
public final class ResilientKubernetesEventsComponent extends KubernetesEventsComponent {

    private final WatchStatus watchStatus;
    private final KubernetesClient watchClient;
    private final Predicate<Event> listedWorthDelivering;

    /**
     * @param watchClient           the client the watches run on ({@link io.kubesentry.kubernetes.InlineDeliveries}); lists use the
     *                              component's
     * @param listedWorthDelivering which stored Events a list hands to the routes (not the old ones)
     */
    public ResilientKubernetesEventsComponent(WatchStatus status, KubernetesClient watchClient,
            Predicate<Event> listedWorthDelivering) {
        this.watchStatus = status;
        this.watchClient = watchClient;
        this.listedWorthDelivering = listedWorthDelivering;
    }

    @Override
    protected KubernetesEventsEndpoint doCreateEndpoint(String uri, String remaining, KubernetesConfiguration config) {
        return new KubernetesEventsEndpoint(uri, this, config) {
            @Override
            public Consumer createConsumer(Processor processor) throws Exception {
                String namespace = config.getNamespace();
                Consumer consumer = new ResilientWatchConsumer<Event, EventList,
                        FilterWatchListDeletable<Event, EventList, Resource<Event>>>(this, processor, "events", "events.events.k8s.io",
                        client -> namespace == null || namespace.isEmpty()
                                ? client.events().v1().events().inAnyNamespace()
                                : client.events().v1().events().inNamespace(namespace),
                        watchClient, watchStatus, listedWorthDelivering);
                configureConsumer(consumer);
                return consumer;
            }
        };
    }

}
