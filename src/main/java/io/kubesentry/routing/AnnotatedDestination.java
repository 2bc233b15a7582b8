package io.kubesentry.routing;

import static io.kubesentry.routing.RoutingAnnotations.DSN;
import static io.kubesentry.routing.RoutingAnnotations.PROJECT;

import io.kubesentry.core.ConfigException;
import io.kubesentry.core.Destination;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The destination one object's annotations name: its own DSN ({@code kube-sentry-events/dsn}, when
 * KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS allows it and the allow list takes its host), else a project of
 * KUBE_SENTRY_PROJECTS ({@code kube-sentry-events/project}). An annotation that cannot be honoured is warned
 * about once and passed over.
 */
final class AnnotatedDestination {

    private final RoutingSettings settings;
    private final WarnOnce warnings = new WarnOnce(LoggerFactory.getLogger(AnnotatedDestination.class));

    AnnotatedDestination(RoutingSettings settings) {
        this.settings = settings;
    }

    /** @param where the annotated object, as the warnings name it */
    Optional<Destination> of(Metadata metadata, String where) {
        return dsn(metadata.annotations().get(DSN), where)
                .or(() -> project(metadata.annotations().get(PROJECT), where));
    }

    private Optional<Destination> dsn(String dsn, String where) {
        if (dsn == null || dsn.isBlank()) {
            return Optional.empty();
        }
        if (!settings.dsnAnnotations()) {
            warnings.warn(where + DSN, "Ignored the " + DSN + " annotation of " + where
                    + ": KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS is false");
            return Optional.empty();
        }
        try {
            SentryDsn parsed = SentryDsn.parse(DSN, dsn);
            Optional<String> refused = settings.dsnAllowList().refusal(parsed.uri());
            if (refused.isEmpty()) {
                return Optional.of(Destination.dsn(parsed));
            }
            warnings.warn(where + DSN + parsed.value(), "Ignored the " + DSN + " annotation of " + where + " ("
                    + parsed.redacted() + "): " + refused.get());
        } catch (ConfigException e) {
            warnings.warn(where + DSN, "Ignored the " + DSN + " annotation of " + where + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private Optional<Destination> project(String project, String where) {
        if (project == null || project.isBlank()) {
            return Optional.empty();
        }
        if (settings.projects().containsKey(project.trim())) {
            return Optional.of(Destination.project(project.trim()));
        }
        warnings.warn(where + PROJECT, "Ignored the " + PROJECT + " annotation of " + where + ": no project '"
                + project + "' in KUBE_SENTRY_PROJECTS");
        return Optional.empty();
    }
}
