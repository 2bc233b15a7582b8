package io.kubesentry.camel;

import io.kubesentry.kubernetes.AgentClients;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.sentry.ProjectsPublisher;
import io.kubesentry.sentry.SentryPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Everything the routes need, from the KUBE_SENTRY_* / SENTRY_* environment, for a Camel runtime that is not
 * this jar's main: Camel K, or another camel-main application that loads the route files. Binds the beans the
 * YAML names, sets the route properties, and flushes Sentry when Camel stops.
 */
public final class KubeSentryConfiguration implements CamelConfiguration {

    private static final String RELEASE = "kube-sentry-events";

    @Override
    public void configure(CamelContext camelContext) {
        Settings settings = SettingsParser.parse(System.getenv());
        SentryPublisher publisher = ProjectsPublisher.fromSettings(settings, RELEASE);
        MeterRegistry meters = Optional.ofNullable(camelContext.getRegistry().findSingleByType(MeterRegistry.class))
                .orElseGet(SimpleMeterRegistry::new);
        new KubeSentryBeans(settings, Optional.of(AgentClients.fromEnvironment()), publisher, Instant.now(),
                meters).configure(camelContext);
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        properties.addOverrideProperty("kube-sentry.logs.enabled", String.valueOf(settings.logsEnabled()));
        properties.addOverrideProperty("kube-sentry.threshold.window-millis",
                String.valueOf(settings.thresholdWindow().toMillis()));
    }
}
