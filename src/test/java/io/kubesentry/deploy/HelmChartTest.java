package io.kubesentry.deploy;

import static io.kubesentry.deploy.DeployAssertions.assertDsnFromSecret;
import static io.kubesentry.deploy.DeployAssertions.assertHardened;
import static io.kubesentry.deploy.DeployAssertions.assertNoDsnLiteral;
import static io.kubesentry.deploy.DeployAssertions.assertProbes;
import static io.kubesentry.deploy.DeployAssertions.assertReadOnly;
import static io.kubesentry.deploy.Manifests.ALL_VALUES;
import static io.kubesentry.deploy.Manifests.CHART;
import static io.kubesentry.deploy.Manifests.METRICS;
import static io.kubesentry.deploy.Manifests.NAMESPACE;
import static io.kubesentry.deploy.Manifests.all;
import static io.kubesentry.deploy.Manifests.container;
import static io.kubesentry.deploy.Manifests.env;
import static io.kubesentry.deploy.Manifests.kinds;
import static io.kubesentry.deploy.Manifests.one;
import static io.kubesentry.deploy.Manifests.pod;
import static io.kubesentry.deploy.Manifests.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The Helm chart, rendered by real Helm")
class HelmChartTest {

    /** The program's settings: each one is an environment variable the chart always sets. */
    static final Set<String> SETTINGS = Set.of("SENTRY_ENVIRONMENT", "KUBE_SENTRY_NAMESPACES",
            "KUBE_SENTRY_EXCLUDE_NAMESPACES", "KUBE_SENTRY_EVENTS", "KUBE_SENTRY_THRESHOLDS",
            "KUBE_SENTRY_ENABLE_LOGS", "KUBE_SENTRY_DEDUP_WINDOW", "KUBE_SENTRY_THRESHOLD_WINDOW",
            "KUBE_SENTRY_LOG_LEVEL", "POD_NAME", "POD_NAMESPACE");

    @Test
    @DisplayName("passes helm lint --strict")
    void lints() {
        // When
        LintResult lint = new Helm(CHART).lint().strict().call();

        // Then
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("with its default values")
    class Defaults {

        List<HasMetadata> objects;
        Deployment deployment;

        @BeforeAll
        void render() {
            objects = Manifests.render(helm -> helm);
            deployment = one(objects, Deployment.class);
        }

        @Test
        @DisplayName("renders the agent, its read-only identity and its service, and nothing optional")
        void objects() {
            assertThat(kinds(objects)).containsExactly("ClusterRole", "ClusterRoleBinding", "Deployment",
                    "Service", "ServiceAccount");
            assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).isEqualTo("kube-sentry-events"));
            assertThat(all(objects, Secret.class)).as("no DSN, no Secret").isEmpty();
            assertThat(all(objects, ConfigMap.class)).as("no routes, no ConfigMap").isEmpty();
        }

        @Test
        @DisplayName("grants get, list and watch on exactly what the program reads")
        void readOnlyRbac() {
            assertReadOnly(one(objects, ClusterRole.class), false, false);

            ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
            assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
            assertThat(binding.getRoleRef().getName()).isEqualTo(one(objects, ClusterRole.class).getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
                assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                assertThat(subject.getName()).isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
                assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
            });
            assertThat(pod(deployment).getServiceAccountName())
                    .isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
        }

        @Test
        @DisplayName("runs one hardened pod: non-root, read-only root filesystem, no capabilities")
        void hardenedPod() {
            assertHardened(deployment);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        }

        @Test
        @DisplayName("probes the health endpoints")
        void probes() {
            assertProbes(deployment);
        }

        @Test
        @DisplayName("without a DSN runs dry: no SENTRY_DSN at all, every setting at the program's default")
        void dryRun() {
            Map<String, EnvVar> env = env(deployment);

            assertThat(env).doesNotContainKey("SENTRY_DSN");
            assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(SETTINGS);
            assertThat(env.get("SENTRY_ENVIRONMENT").getValue()).isEqualTo("production");
            assertThat(env.get("KUBE_SENTRY_EXCLUDE_NAMESPACES").getValue()).isEqualTo("kube-system");
            assertThat(env.get("KUBE_SENTRY_ENABLE_LOGS").getValue()).isEqualTo("true");
            assertThat(env.get("KUBE_SENTRY_DEDUP_WINDOW").getValue()).isEqualTo("5m");
            assertThat(env.get("KUBE_SENTRY_THRESHOLD_WINDOW").getValue()).isEqualTo("1h");
            assertThat(env.get("KUBE_SENTRY_LOG_LEVEL").getValue()).isEqualTo("info");
            assertThat(env.get("KUBE_SENTRY_EVENTS").getValue()).isEmpty();
        }

        @Test
        @DisplayName("runs the routes inside the jar: no routes volume, no KUBE_SENTRY_ROUTES_DIR")
        void bundledRoutes() {
            assertThat(env(deployment)).doesNotContainKey("KUBE_SENTRY_ROUTES_DIR");
            assertThat(pod(deployment).getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        }

        @Test
        @DisplayName("requests 128Mi and 50m, limits memory to 192Mi")
        void resources() {
            var resources = container(deployment).getResources();
            assertThat(resources.getRequests()).containsEntry("memory", new Quantity("128Mi"))
                    .containsEntry("cpu", new Quantity("50m"));
            assertThat(resources.getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("192Mi"));
        }

        @Test
        @DisplayName("runs the image of the chart's appVersion")
        void image() {
            assertThat(container(deployment).getImage()).isEqualTo("kube-sentry-events:" + Manifests.chartAppVersion());
        }

        @Test
        @DisplayName("serves health and metrics on port 8080, named http, of the agent's pod")
        void service() {
            Service service = one(objects, Service.class);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getName()).isEqualTo("http");
                assertThat(port.getPort()).isEqualTo(8080);
                assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
        }
    }

    @Nested
    @DisplayName("with --set sentry.dsn")
    class WithDsn {

        static final String DSN = "https://0123456789abcdef@o1.ingest.sentry.io/42";

        @Test
        @DisplayName("keeps the DSN in a Secret and hands it over by secretKeyRef, never as a literal")
        void dsnThroughSecret() {
            // When
            List<HasMetadata> objects = render(helm -> helm.set("sentry.dsn", DSN));

            // Then
            Secret secret = one(objects, Secret.class);
            assertThat(new String(Base64.getDecoder().decode(secret.getData().get("dsn")), StandardCharsets.UTF_8))
                    .isEqualTo(DSN);
            Deployment deployment = one(objects, Deployment.class);
            SecretKeySelector dsn = assertDsnFromSecret(deployment);
            assertThat(dsn.getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(dsn.getKey()).isEqualTo("dsn");
            assertNoDsnLiteral(deployment, List.of(DSN, "0123456789abcdef"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .as("a new DSN rolls the pod").containsKey("checksum/secret");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("with every option set (src/test/resources/deploy/all-values.yaml)")
    class AllValues {

        List<HasMetadata> objects;
        Deployment deployment;
        Map<String, EnvVar> env;

        @BeforeAll
        void render() {
            objects = Manifests.render(helm -> helm.withValuesFile(ALL_VALUES));
            deployment = one(objects, Deployment.class);
            env = env(deployment);
        }

        @Test
        @DisplayName("still only reads, plus leases for leader election and pods/log for attached logs")
        void rbac() {
            assertReadOnly(one(objects, ClusterRole.class), true, true);
            assertThat(env.get("KUBE_SENTRY_LEADER_ELECTION").getValue()).isEqualTo("true");
            assertThat(env.get("KUBE_SENTRY_ATTACH_LOGS").getValue()).isEqualTo("true");
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        }

        @Test
        @DisplayName("still runs a hardened pod with the same probes")
        void hardened() {
            assertHardened(deployment);
            assertProbes(deployment);
        }

        @Test
        @DisplayName("uses sentry.existingSecret and its key, creates no Secret and never writes the ignored DSN")
        void existingSecret() {
            assertThat(all(objects, Secret.class)).isEmpty();
            SecretKeySelector dsn = assertDsnFromSecret(deployment);
            assertThat(dsn.getName()).isEqualTo("sentry-credentials");
            assertThat(dsn.getKey()).isEqualTo("kube-dsn");
            assertNoDsnLiteral(deployment, List.of("https://ignored@o1.ingest.sentry.io/1", "ignored@"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .doesNotContainKey("checksum/secret");
        }

        @Test
        @DisplayName("sets every KUBE_SENTRY_* setting from config")
        void settings() {
            assertThat(env).containsOnlyKeys(union(SETTINGS, Set.of("SENTRY_DSN", "KUBE_SENTRY_ROUTES_DIR",
                    "KUBE_SENTRY_LEADER_ELECTION", "KUBE_SENTRY_ATTACH_LOGS")));
            assertThat(values()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("SENTRY_ENVIRONMENT", "staging"),
                    Map.entry("KUBE_SENTRY_NAMESPACES", "shop,payments"),
                    Map.entry("KUBE_SENTRY_EXCLUDE_NAMESPACES", ""),
                    Map.entry("KUBE_SENTRY_EVENTS", "OOMKilled,BackOff,FailedMount"),
                    Map.entry("KUBE_SENTRY_THRESHOLDS", "BackOff:5,Unhealthy:10"),
                    Map.entry("KUBE_SENTRY_ENABLE_LOGS", "false"),
                    Map.entry("KUBE_SENTRY_DEDUP_WINDOW", "10m"),
                    Map.entry("KUBE_SENTRY_THRESHOLD_WINDOW", "2h"),
                    Map.entry("KUBE_SENTRY_LOG_LEVEL", "debug"),
                    Map.entry("KUBE_SENTRY_ROUTES_DIR", "/etc/cluster-sentry/routes"),
                    Map.entry("KUBE_SENTRY_LEADER_ELECTION", "true"),
                    Map.entry("KUBE_SENTRY_ATTACH_LOGS", "true")));
        }

        @Test
        @DisplayName("mounts the routes ConfigMap, as a whole directory, where KUBE_SENTRY_ROUTES_DIR points")
        void routes() {
            ConfigMap routes = one(objects, ConfigMap.class);
            Map<?, ?> values = Manifests.SERIALIZATION.unmarshal(Manifests.read(ALL_VALUES), Map.class);
            // byte for byte, quotes, tab and colons included
            assertThat(routes.getData()).isEqualTo(values.get("routes"))
                    .containsOnlyKeys("watch-kubernetes-events.camel.yaml", "extra.camel.yaml");
            assertThat(routes.getData().get("extra.camel.yaml")).contains("\"quotes\", a tab\tand");

            Volume volume = pod(deployment).getVolumes().stream().filter(v -> v.getConfigMap() != null)
                    .findFirst().orElseThrow();
            assertThat(volume.getConfigMap().getName()).isEqualTo(routes.getMetadata().getName());
            VolumeMount mount = container(deployment).getVolumeMounts().stream()
                    .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
            assertThat(mount.getMountPath()).isEqualTo(env.get("KUBE_SENTRY_ROUTES_DIR").getValue());
            assertThat(mount.getSubPath()).as("a subPath mount never sees ConfigMap edits").isNull();
            assertThat(mount.getReadOnly()).isTrue();
        }

        @Test
        @DisplayName("creates a ServiceMonitor scraping /observe/metrics on the http port")
        void serviceMonitor() {
            GenericKubernetesResource monitor = all(objects, GenericKubernetesResource.class).stream()
                    .filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
            assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            assertThat(endpoints).singleElement().satisfies(endpoint -> assertThat(endpoint)
                    .containsEntry("port", "http").containsEntry("path", METRICS).containsEntry("interval", "15s"));
            Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
            assertThat(one(objects, Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
        }

        @Test
        @DisplayName("applies image, names, service account, scheduling, annotations and resources")
        void podOptions() {
            assertThat(container(deployment).getImage())
                    .isEqualTo("registry.example.com/platform/kube-sentry-events:0.1.0-rc1");
            assertThat(container(deployment).getImagePullPolicy()).isEqualTo("Always");
            assertThat(pod(deployment).getImagePullSecrets()).extracting(s -> s.getName())
                    .containsExactly("registry-credentials");
            assertThat(objects).filteredOn(o -> !o.getKind().equals("ServiceAccount"))
                    .allSatisfy(o -> assertThat(o.getMetadata().getName()).startsWith("cluster-sentry"));
            assertThat(deployment.getSpec().getSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "sentry-agent");

            ServiceAccount account = one(objects, ServiceAccount.class);
            assertThat(account.getMetadata().getName()).isEqualTo("sentry-watcher");
            assertThat(account.getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
            assertThat(pod(deployment).getServiceAccountName()).isEqualTo("sentry-watcher");
            assertThat(one(objects, ClusterRoleBinding.class).getSubjects())
                    .singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("sentry-watcher"));

            assertThat(pod(deployment).getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
            assertThat(pod(deployment).getTolerations()).singleElement()
                    .satisfies(t -> assertThat(t.getValue()).isEqualTo("monitoring"));
            assertThat(pod(deployment).getAffinity().getNodeAffinity()).isNotNull();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("team", "platform");
            assertThat(container(deployment).getResources().getLimits()).containsEntry("memory", new Quantity("256Mi"));
            assertThat(one(objects, Service.class).getSpec().getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort()).isEqualTo(9090));
        }

        private Map<String, String> values() {
            return env.values().stream().filter(e -> e.getValueFrom() == null)
                    .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
        }
    }

    @Nested
    @DisplayName("with options turned off or wrong")
    class Toggles {

        @Test
        @DisplayName("rbac.create=false and serviceAccount.create=false render no RBAC and no ServiceAccount")
        void noRbac() {
            // When
            List<HasMetadata> objects = render(helm -> helm.set("rbac.create", false)
                    .set("serviceAccount.create", false).set("serviceAccount.name", "prepared"));

            // Then
            assertThat(kinds(objects)).containsExactly("Deployment", "Service");
            assertThat(pod(one(objects, Deployment.class)).getServiceAccountName()).isEqualTo("prepared");
        }

        @Test
        @DisplayName("the ServiceMonitor only when metrics.serviceMonitor.enabled")
        void serviceMonitorOnlyWhenEnabled() {
            assertThat(kinds(render(helm -> helm))).doesNotContain("ServiceMonitor");
            assertThat(kinds(render(helm -> helm.set("metrics.serviceMonitor.enabled", true))))
                    .contains("ServiceMonitor");
        }

        @Test
        @DisplayName("refuses a second replica without leader election: both would report every event")
        void replicasNeedLeaderElection() {
            assertThatThrownBy(() -> render(helm -> helm.set("replicaCount", 2)))
                    .hasMessageContaining("leaderElection.enabled");
        }

        @Test
        @DisplayName("refuses a routes entry that is not a *.camel.yaml file: it would never be loaded")
        void routeFileNames() {
            assertThatThrownBy(() -> render(helm -> helm.set("routes.notes\\.txt", "hello")))
                    .hasMessageContaining("notes.txt");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }
}
