package io.kubesentry.app;

import io.kubesentry.camel.KubeSentryConfiguration;
import io.kubesentry.camel.ObserveServer;
import io.kubesentry.config.Settings;
import io.kubesentry.explain.Decisions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * camel-main with the agent ({@link KubeSentryConfiguration}), its meters, its management port and its routes:
 * the same bootstrap for the watch, the replay and the tests.
 */
public final class KubeSentryApplication implements AutoCloseable {

    /** Where the watch route hands each Kubernetes Event; replay sends recorded events here too. */
    public static final String EVENT_ENDPOINT = "direct:classify-kubernetes-events";
    /** The Prometheus registry in Camel's registry: the agent's kube_sentry_* meters and the JVM's. */
    public static final String METER_REGISTRY = "meterRegistry";

    private final Main main;

    private KubeSentryApplication(Main main) {
        this.main = main;
    }

    /** @param routes the route files, as a Camel resource pattern ({@link #routesOf}) */
    public static KubeSentryApplication create(KubeSentryConfiguration agent, String routes) {
        Main main = new Main();
        PrometheusMeterRegistry meters = JvmMeters.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        main.bind(METER_REGISTRY, meters);
        main.configure().addConfiguration(agent);
        Settings settings = agent.settings();
        if (settings.httpPort() > 0 && agent.watches()) {
            main.configure().addConfiguration(observe(new ObserveServer(settings.httpHost(), settings.httpPort(), meters)));
        }
        main.addOverrideProperty("camel.main.routes-include-pattern", routes);
        return new KubeSentryApplication(main);
    }

    private static CamelConfiguration observe(ObserveServer server) {
        return new CamelConfiguration() {
            @Override
            public void configure(CamelContext camelContext) throws Exception {
                camelContext.addService(server);
            }
        };
    }

    /** The shipped routes: from the routes directory when one is configured, else those inside the jar. */
    public static String routesOf(Settings settings) {
        return settings.routesDirectory()
                .map(KubeSentryApplication::routesIn)
                .orElse(BundledRoutes.PATTERN);
    }

    /** Runs until the JVM is asked to stop; Camel's shutdown sends what is still buffered. */
    public void run() throws Exception {
        main.run();
    }

    public KubeSentryApplication start() {
        main.start();
        return this;
    }

    public ProducerTemplate producer() {
        return main.getCamelContext().createProducerTemplate();
    }

    /** What the routes' beans decide about each replayed item. */
    public Decisions decisions() {
        return main.getCamelContext().getRegistry().lookupByNameAndType(KubeSentryConfiguration.DECISIONS, Decisions.class);
    }

    public Main main() {
        return main;
    }

    /** Stops Camel, which flushes and closes the Sentry publisher. */
    @Override
    public void close() {
        main.stop();
    }

    /** Resolves a directory of route files into the pattern camel-main loads. */
    public static String routesIn(Path directory) {
        return "file:" + directory.toAbsolutePath() + "/*.camel.yaml";
    }
}
