package io.kubesentry.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubesentry.classify.KnownReasons;
import io.kubesentry.core.ConfigException;
import io.kubesentry.core.Destination;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.SentryDsn;
import io.kubesentry.core.Target;
import io.kubesentry.core.Workload;
import io.kubesentry.routing.MetadataLookup.Metadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the Sentry project of an occurrence, in this order: the workload's annotation
 * {@code kube-sentry-events/dsn} or {@code kube-sentry-events/project}, the same on its Namespace, the
 * routing table, the default. Also reads the opt-out ({@code kube-sentry-events/ignore: "true"}), the
 * workload's thresholds ({@code kube-sentry-events/thresholds: "Unhealthy:20"}) and its label tags.
 */
public final class ProjectRouter {

    public static final String PREFIX = "kube-sentry-events/";
    public static final String DSN = PREFIX + "dsn";
    public static final String PROJECT = PREFIX + "project";
    public static final String IGNORE = PREFIX + "ignore";
    public static final String THRESHOLDS = PREFIX + "thresholds";

    private static final Logger LOG = LoggerFactory.getLogger(ProjectRouter.class);

    private final RoutingSettings settings;
    private final MetadataLookup lookup;
    private final Cache<String, Optional<Metadata>> metadata;
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1_000).build();

    public ProjectRouter(RoutingSettings settings, MetadataLookup lookup, Duration cacheTtl) {
        this.settings = settings;
        this.lookup = lookup;
        this.metadata = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(20_000).build();
    }

    /** The occurrence with its routing decided. */
    public Occurrence route(Occurrence occurrence) {
        return occurrence.withTarget(target(occurrence));
    }

    /** Whether the occurrence's workload or namespace opted out; read after {@link #route}. */
    public boolean ignores(Occurrence occurrence) {
        return occurrence.target().ignored();
    }

    /** Reads (and caches) the labels and annotations routing a workload's occurrences will need. */
    public void prefetch(String namespace, Workload workload) {
        workloadMetadata(namespace, workload);
        namespaceMetadata(namespace);
    }

    public Target target(Occurrence occurrence) {
        String namespace = occurrence.namespace();
        var workload = occurrence.workload();
        Metadata own = workloadMetadata(namespace, workload);
        Metadata space = namespaceMetadata(namespace);

        boolean ignored = "true".equalsIgnoreCase(own.annotations().get(IGNORE))
                || "true".equalsIgnoreCase(space.annotations().get(IGNORE));
        Destination destination = annotated(own, workload.qualifiedName())
                .or(() -> annotated(space, "namespace " + namespace))
                .or(() -> settings.rules().stream()
                        .filter(rule -> rule.matches(namespace, own.labels()))
                        .findFirst()
                        .map(rule -> Destination.project(rule.project())))
                .orElse(Destination.DEFAULT);
        return new Target(destination, ignored, thresholds(own, workload.qualifiedName()), labelTags(own));
    }

    private Optional<Destination> annotated(Metadata metadata, String where) {
        String dsn = metadata.annotations().get(DSN);
        if (dsn != null && !dsn.isBlank() && !settings.dsnAnnotations()) {
            warnOnce(where + DSN, "Ignored the " + DSN + " annotation of " + where
                    + ": KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS is false");
        } else if (dsn != null && !dsn.isBlank()) {
            try {
                SentryDsn parsed = SentryDsn.parse(DSN, dsn);
                Optional<String> refused = settings.dsnAllowList().refusal(parsed.uri());
                if (refused.isEmpty()) {
                    return Optional.of(Destination.dsn(parsed));
                }
                warnOnce(where + DSN + parsed.value(), "Ignored the " + DSN + " annotation of " + where + " ("
                        + parsed.redacted() + "): " + refused.get());
            } catch (ConfigException e) {
                warnOnce(where + DSN, "Ignored the " + DSN + " annotation of " + where + ": " + e.getMessage());
            }
        }
        String project = metadata.annotations().get(PROJECT);
        if (project != null && !project.isBlank()) {
            if (settings.projects().containsKey(project.trim())) {
                return Optional.of(Destination.project(project.trim()));
            }
            warnOnce(where + PROJECT, "Ignored the " + PROJECT + " annotation of " + where + ": no project '"
                    + project + "' in KUBE_SENTRY_PROJECTS");
        }
        return Optional.empty();
    }

    private Map<String, Integer> thresholds(Metadata metadata, String where) {
        String text = metadata.annotations().get(THRESHOLDS);
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, Integer> overrides = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":");
            try {
                int count = Integer.parseInt(parts[1].trim());
                if (parts.length == 2 && count >= 1) {
                    overrides.put(KnownReasons.spelled(parts[0].trim()), count);
                    continue;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            warnOnce(where + THRESHOLDS, "Ignored '" + pair.trim() + "' in the " + THRESHOLDS + " annotation of "
                    + where + "; expected Reason:count such as Unhealthy:20");
        }
        return overrides;
    }

    private Map<String, String> labelTags(Metadata metadata) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String label : settings.labelTags()) {
            String value = metadata.labels().get(label);
            if (value != null) {
                tags.put("k8s.label." + label.replaceAll("[^A-Za-z0-9_.:-]", "_"),
                        io.kubesentry.core.KubernetesLimits.label(value));
            }
        }
        return tags;
    }

    private Metadata workloadMetadata(String namespace, Workload workload) {
        return cached("w|" + workload.kind() + "|" + namespace + "|" + workload.name(),
                () -> lookup.workload(workload.kind(), namespace, workload.name()));
    }

    private Metadata namespaceMetadata(String namespace) {
        return namespace.isEmpty() ? Metadata.NONE : cached("n|" + namespace, () -> lookup.namespace(namespace));
    }

    private Metadata cached(String key, java.util.function.Supplier<Optional<Metadata>> read) {
        return metadata.get(key, k -> read.get()).orElse(Metadata.NONE);
    }

    private void warnOnce(String key, String message) {
        if (warned.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
            LOG.warn(message);
        }
    }
}
