package io.kubesentry.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The agent's Kubernetes client: connected the way kubectl connects, with watches that admit an outage. */
public final class AgentClients {

    /**
     * fabric8 retries a dropped watch forever by default, so an API server that stays away never shows:
     * after a few tries the watch ends, the agent reports not ready, and its own back-off takes over.
     */
    static final int WATCH_RECONNECTS = 3;
    static final int WATCH_RECONNECT_INTERVAL_MILLIS = 1_000;

    private AgentClients() {
    }

    /** In-cluster service account, else KUBECONFIG / ~/.kube/config. */
    public static KubernetesClient fromEnvironment() {
        return from(Config.autoConfigure(null));
    }

    public static KubernetesClient from(Config config) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config)
                .withWatchReconnectLimit(WATCH_RECONNECTS)
                .withWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MILLIS)
                .build()).build();
    }
}
