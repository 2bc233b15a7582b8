package io.kubesentry.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;

/** The agent's Kubernetes client: connected the way kubectl connects, with watches that admit an outage. */
public final class AgentClients {

    /**
     * fabric8 retries a dropped watch forever by default, so an API server that stays away never shows:
     * after a few tries the watch ends, the agent reports not ready, and its own back-off takes over.
     */
    static final int WATCH_RECONNECTS = 3;
    static final int WATCH_RECONNECT_INTERVAL_MILLIS = 1_000;
    /**
     * fabric8 retries a failed request ten times by default, backing off to some 50 s in all: a probe or a list
     * against a lost API server would hang that long before the agent could say so. Two (0.1 s, 0.2 s) ride out
     * a blip; the watches' own back-off does the rest.
     */
    static final int REQUEST_RETRIES = 2;
    /** What the watches deliver and the owners read first. */
    private static final List<Class<?>> WATCHED_TYPES = List.of(EventList.class, Event.class, PodList.class,
            Pod.class, ReplicaSet.class, Deployment.class);
    private static final String WARM_UP_OBJECT = "{\"metadata\":{\"name\":\"warm-up\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"}}";
    private static final String WARM_UP_WATCH_MESSAGE = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Event\","
            + "\"apiVersion\":\"events.k8s.io/v1\",\"metadata\":{\"name\":\"warm-up\"}}}";

    private AgentClients() {
    }

    /** In-cluster service account, else KUBECONFIG / ~/.kube/config. */
    public static KubernetesClient fromEnvironment() {
        return from(Config.autoConfigure(null));
    }

    /** On the JDK's HTTP client, named here so that another factory on the classpath (tests have Vert.x's) never wins. */
    public static KubernetesClient from(Config config) {
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(serialization())
                .withConfig(new ConfigBuilder(config)
                .withWatchReconnectLimit(WATCH_RECONNECTS)
                .withWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MILLIS)
                .withRequestRetryBackoffLimit(REQUEST_RETRIES)
                .build()).build();
    }

    /** fabric8's JSON mapping, with each watch message's object read in one pass ({@link KindFirstDeserializer}). */
    static KubernetesSerialization serialization() {
        return new KubernetesSerialization(new ObjectMapper().addMixIn(WatchEvent.class, WatchEventMixIn.class), true);
    }

    /** The kubeconfig context the client connected with; empty in the cluster (service account). */
    public static Optional<String> context(KubernetesClient client) {
        var current = client.getConfiguration().getCurrentContext();
        return Optional.ofNullable(current).map(c -> c.getName());
    }

    /** {@link #warm} on a daemon thread of its own. */
    public static void warmInBackground(KubernetesClient client) {
        Thread warming = new Thread(() -> warm(client), "kubernetes-json-warm-up");
        warming.setDaemon(true);
        warming.start();
    }

    /**
     * Builds the JSON readers of {@link #WATCHED_TYPES} and of a watch message before the first delivery needs them: Jackson's
     * introspection of the model classes is most of a cold first read.
     */
    public static void warm(KubernetesClient client) {
        var json = client.getKubernetesSerialization();
        try {
            for (Class<?> type : WATCHED_TYPES) {
                json.unmarshal(WARM_UP_OBJECT, type);
            }
            json.unmarshal(WARM_UP_WATCH_MESSAGE, WatchEvent.class);
        } catch (RuntimeException e) {
            // only a head start: the first real read builds what this could not
        }
    }
}
