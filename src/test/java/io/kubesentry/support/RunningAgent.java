package io.kubesentry.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.app.KubeSentryApplication;
import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.kubernetes.AgentClients;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SentryPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent as it runs in a cluster: the shipped {@code routes/*.camel.yaml}, the real camel-main, the real
 * Sentry SDK posting to a {@link SentryRecorder}, the mock API server as the cluster.
 */
public final class RunningAgent implements AutoCloseable {

    /** The project's own route files, never a copy. */
    public static final Path SHIPPED_ROUTES = Path.of("routes");

    private final KubeSentryApplication application;
    private final SentryPublisher publisher;
    private final KubernetesClient client;

    private RunningAgent(KubeSentryApplication application, SentryPublisher publisher, KubernetesClient client) {
        this.application = application;
        this.publisher = publisher;
        this.client = client;
    }

    public static RunningAgent start(MockCluster cluster, SentryRecorder sentry, Map<String, String> env) {
        RunningAgent agent = startUnready(cluster.client().getConfiguration(), sentry, env);
        awaitWatches(agent.application);
        return agent;
    }

    /** The agent against any API server (one that never answers, too), not waiting for its watches. */
    public static RunningAgent startUnready(io.fabric8.kubernetes.client.Config apiServer, SentryRecorder sentry,
            Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put(SettingsParser.SENTRY_DSN, sentry.dsn());
        environment.putIfAbsent(SettingsParser.SENTRY_ENVIRONMENT, "test");
        environment.putIfAbsent(SettingsParser.HTTP_PORT, "0");
        environment.putIfAbsent(SettingsParser.HTTP_HOST, "127.0.0.1");
        Settings settings = SettingsParser.parse(environment);
        SentryPublisher publisher = ProjectsPublisher.fromSettings(settings, "kube-sentry-events@test");
        KubernetesClient client = AgentClients.from(apiServer);
        KubeSentryApplication application = KubeSentryApplication.create(
                new KubeSentryConfiguration(settings, Optional.of(client), publisher, Instant.now()),
                KubeSentryApplication.routesIn(settings.routesDirectory().orElse(SHIPPED_ROUTES))).start();
        return new RunningAgent(application, publisher, client);
    }

    /** Events written before the watches are up would be seen only in their last state: wait, as a test. */
    private static void awaitWatches(KubeSentryApplication application) {
        WatchStatus status = application.main().getCamelContext().getRegistry()
                .lookupByNameAndType("watchStatus", WatchStatus.class);
        if (status == null) {
            return;
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                status.states().size() == 2 && status.states().values().stream().allMatch(WatchStatus.State::up));
    }

    /** Sends the SDK's buffered logs now instead of after its 5 s batch interval. */
    public void flush() {
        publisher.flush(Duration.ofSeconds(5));
    }

    public KubeSentryApplication application() {
        return application;
    }

    @Override
    public void close() {
        application.close();
        client.close();
    }
}
