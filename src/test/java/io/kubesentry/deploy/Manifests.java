package io.kubesentry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The deploy artifacts as fabric8 objects: the Helm chart rendered by real Helm (helm-java), the plain
 * manifests and the Camel K Integration parsed from their files, and the facts every one must share.
 */
final class Manifests {

    static final Path CHART = Path.of("deploy/helm/kube-sentry-events");
    static final Path PLAIN = Path.of("deploy/kubernetes");
    static final Path CAMEL_K = Path.of("deploy/camel-k");
    static final Path ROUTES = Path.of("routes");
    static final Path ALL_VALUES = Path.of("src/test/resources/deploy/all-values.yaml");

    static final String RELEASE = "kube-sentry-events";
    static final String NAMESPACE = "kube-sentry-events";
    static final String LIVENESS = "/observe/health/live";
    static final String READINESS = "/observe/health/ready";
    static final String METRICS = "/observe/metrics";
    static final long NON_ROOT_USER = 10001;
    static final Set<String> READ_ONLY = Set.of("get", "list", "watch");

    /**
     * What the program reads, by API group: the ClusterRole grants get, list and watch on exactly this (plus
     * {@link #GETS}, and leases and pods/log when they are turned on).
     */
    static final Map<String, Set<String>> READS = Map.of(
            "", Set.of("events", "pods", "nodes"),
            "events.k8s.io", Set.of("events"),
            "apps", Set.of("replicasets", "deployments", "statefulsets", "daemonsets"),
            "batch", Set.of("jobs", "cronjobs"));
    /** What the program only reads by name (get): a workload's Namespace, for its kube-sentry-events/* annotations. */
    static final Map<String, Set<String>> GETS = Map.of("", Set.of("namespaces"));
    /** The label by which leader election finds the agent's replicas (io.kubesentry.camel.Leadership). */
    static final String MEMBER_LABEL = "app.kubernetes.io/name";
    static final String MEMBER_LABEL_VALUE = "kube-sentry-events";

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    /** {@code helm template kube-sentry-events deploy/helm/kube-sentry-events -n kube-sentry-events ...} */
    static String template(UnaryOperator<TemplateCommand> options) {
        return options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)).call();
    }

    static List<HasMetadata> render(UnaryOperator<TemplateCommand> options) {
        return parse(template(options));
    }

    /** Every object of a multi-document YAML text (empty documents left out). */
    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof Collection<?> documents) {
            documents.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast)
                    .forEach(objects::add);
        } else if (parsed instanceof HasMetadata object) {
            objects.add(object);
        }
        return objects;
    }

    static List<HasMetadata> parse(Path file) {
        return parse(read(file));
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertThat(found).as("%s objects", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).sorted().toList();
    }

    static PodSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    static Container container(Deployment deployment) {
        assertThat(pod(deployment).getContainers()).hasSize(1);
        return pod(deployment).getContainers().get(0);
    }

    static Map<String, EnvVar> env(Deployment deployment) {
        return container(deployment).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> {
                    throw new AssertionError("environment variable " + a.getName() + " is set twice");
                }, TreeMap::new));
    }

    /** The route files of routes/, by file name: what every deployment must run. */
    static Map<String, String> routeFiles() {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString(), Manifests::read, (a, b) -> a,
                            TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The YAML files of a directory, in name order (the order kubectl apply -f uses). */
    static List<Path> yamlFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chartAppVersion() {
        Map<?, ?> chart = SERIALIZATION.unmarshal(read(CHART.resolve("Chart.yaml")), Map.class);
        return String.valueOf(chart.get("appVersion"));
    }
}
