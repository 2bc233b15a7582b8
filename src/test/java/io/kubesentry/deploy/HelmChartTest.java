package io.kubesentry.deploy;

import static io.kubesentry.deploy.DeployAssertions.assertDsnFromSecret;
import static io.kubesentry.deploy.DeployAssertions.assertHardened;
import static io.kubesentry.deploy.DeployAssertions.assertNoDsnLiteral;
import static io.kubesentry.deploy.DeployAssertions.assertProbes;
import static io.kubesentry.deploy.DeployAssertions.assertLeaseRole;
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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.kubesentry.config.Settings;
import io.kubesentry.config.SettingsParser;
import io.kubesentry.routing.RoutingRule;
import io.kubesentry.routing.RoutingSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Helm chart, rendered by real Helm")
class HelmChartTest {

    /** The program's settings: each one is an environment variable the chart always sets. */
    static final Set<String> SETTINGS = Set.of("SENTRY_ENVIRONMENT", "KUBE_SENTRY_NAMESPACES",
            "KUBE_SENTRY_EXCLUDE_NAMESPACES", "KUBE_SENTRY_EVENTS", "KUBE_SENTRY_THRESHOLDS",
            "KUBE_SENTRY_ENABLE_LOGS", "KUBE_SENTRY_DEDUP_WINDOW", "KUBE_SENTRY_THRESHOLD_WINDOW",
            "KUBE_SENTRY_LOG_LEVEL", "KUBE_SENTRY_HTTP_PORT", "KUBE_SENTRY_BUFFER_DIR", "KUBE_SENTRY_CLUSTER",
            "KUBE_SENTRY_CLUSTER_IN_FINGERPRINT", "KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS", "KUBE_SENTRY_DSN_ALLOWED_HOSTS", "KUBE_SENTRY_TAGS", "KUBE_SENTRY_LABEL_TAGS", "POD_NAME",
            "POD_NAMESPACE");

    /** The routing table of all-values.yaml, as the program reads it. */
    static final String ROUTING = "namespace:payments-* -> team-a; selector:team=checkout,tier=web -> team-b; "
            + "namespace:analytics -> data.platform";
    static final String TEAM_B_DSN = "https://team-b-key@o1.ingest.sentry.io/2";

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
            assertReadOnly(one(objects, ClusterRole.class), false);
            assertThat(all(objects, io.fabric8.kubernetes.api.model.rbac.Role.class)).as("no Lease, no Role").isEmpty();

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
            assertThat(env.get("KUBE_SENTRY_HTTP_PORT").getValue()).isEqualTo("8080");
            assertThat(env.get("KUBE_SENTRY_CLUSTER").getValue()).isEmpty();
            assertThat(env.get("KUBE_SENTRY_CLUSTER_IN_FINGERPRINT").getValue()).isEqualTo("false");
            assertThat(env.get("KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS").getValue()).isEqualTo("true");
            assertThat(env.get("KUBE_SENTRY_DSN_ALLOWED_HOSTS").getValue()).isEmpty();
            assertThat(env.get("KUBE_SENTRY_TAGS").getValue()).isEmpty();
            assertThat(env.get("KUBE_SENTRY_LABEL_TAGS").getValue()).isEmpty();
        }

        @Test
        @DisplayName("has no Sentry projects and no routing table: everything goes to the default DSN")
        void noProjects() {
            assertThat(env(deployment)).doesNotContainKeys("KUBE_SENTRY_PROJECTS", "KUBE_SENTRY_ROUTING")
                    .allSatisfy((name, variable) -> assertThat(name).doesNotStartWith("SENTRY_DSN_"));
        }

        @Test
        @DisplayName("labels the pod app.kubernetes.io/name=kube-sentry-events, the label leader election finds replicas by")
        void memberLabel() {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry(Manifests.MEMBER_LABEL, Manifests.MEMBER_LABEL_VALUE);
        }

        @Test
        @DisplayName("runs the routes inside the jar: no routes volume, no KUBE_SENTRY_ROUTES_DIR")
        void bundledRoutes() {
            assertThat(env(deployment)).doesNotContainKey("KUBE_SENTRY_ROUTES_DIR");
            assertThat(pod(deployment).getVolumes()).extracting(Volume::getName).containsExactly("tmp");
        }

        @Test
        @DisplayName("requests 160Mi and 50m, limits memory to 256Mi (the benchmark's peak is 180 MiB)")
        void resources() {
            var resources = container(deployment).getResources();
            assertThat(resources.getRequests()).containsEntry("memory", new Quantity("160Mi"))
                    .containsEntry("cpu", new Quantity("50m"));
            assertThat(resources.getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("256Mi"));
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
            assertThat(secret.getData()).containsOnlyKeys("dsn");
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
        @DisplayName("still only reads cluster-wide, plus pods/log; the Lease by name in a Role of its namespace")
        void rbac() {
            assertReadOnly(one(objects, ClusterRole.class), true);
            assertLeaseRole(objects, NAMESPACE, "sentry-leader", "sentry-watcher");
            assertThat(env.get("KUBE_SENTRY_LEADER_ELECTION").getValue()).isEqualTo("true");
            assertThat(env.get("KUBE_SENTRY_ATTACH_LOGS").getValue()).isEqualTo("true");
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .as("the replicas find each other by it").containsEntry(Manifests.MEMBER_LABEL,
                            Manifests.MEMBER_LABEL_VALUE);
        }

        @Test
        @DisplayName("still runs a hardened pod with the same probes")
        void hardened() {
            assertHardened(deployment);
            assertProbes(deployment);
        }

        @Test
        @DisplayName("uses sentry.existingSecret and its key, and never writes the ignored DSN, not even into the chart's Secret")
        void existingSecret() {
            SecretKeySelector dsn = assertDsnFromSecret(deployment);
            assertThat(dsn.getName()).isEqualTo("sentry-credentials");
            assertThat(dsn.getKey()).isEqualTo("kube-dsn");
            assertNoDsnLiteral(deployment, List.of("https://ignored@o1.ingest.sentry.io/1", "ignored@"));
            assertThat(one(objects, Secret.class).getData()).as("only team-b's DSN").containsOnlyKeys("dsn-team-b");
        }

        @Test
        @DisplayName("hands every project's DSN over by secretKeyRef: a Secret of the team's, or the chart's own")
        void projectDsnsFromSecrets() {
            assertThat(env.get("KUBE_SENTRY_PROJECTS").getValue()).isEqualTo("data.platform,team-a,team-b");
            assertThat(env).hasEntrySatisfying("SENTRY_DSN_TEAM_A", variable -> {
                assertThat(variable.getValue()).as("a literal DSN").isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("team-a-sentry");
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sentry-dsn");
            });
            assertThat(env).hasEntrySatisfying("SENTRY_DSN_DATA_PLATFORM", variable -> {
                assertThat(variable.getValue()).isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("data-platform-sentry");
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).as("the default key").isEqualTo("dsn");
            });

            Secret secret = one(objects, Secret.class);
            assertThat(env).hasEntrySatisfying("SENTRY_DSN_TEAM_B", variable -> {
                assertThat(variable.getValue()).isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("dsn-team-b");
            });
            assertThat(new String(Base64.getDecoder().decode(secret.getData().get("dsn-team-b")), StandardCharsets.UTF_8))
                    .isEqualTo(TEAM_B_DSN);
            assertNoDsnLiteral(deployment, List.of(TEAM_B_DSN, "team-b-key"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .as("a new project DSN rolls the pod").containsKey("checksum/secret");
        }

        @Test
        @DisplayName("renders the routing list as KUBE_SENTRY_ROUTING, rule by rule in order")
        void routing() {
            assertThat(env.get("KUBE_SENTRY_ROUTING").getValue()).isEqualTo(ROUTING);
        }

        @Test
        @DisplayName("renders settings the program accepts: every project, rule, tag and the Lease")
        void programAcceptsTheSettings(@TempDir Path routesDir) {
            // Given: the rendered environment, with the Secrets' and the downward API's values filled in
            Map<String, String> environment = new java.util.HashMap<>(values());
            environment.put("KUBE_SENTRY_ROUTES_DIR", routesDir.toString());
            environment.put("POD_NAME", "cluster-sentry-7d9f-abcde");
            environment.put("POD_NAMESPACE", NAMESPACE);
            environment.put("SENTRY_DSN", "https://default-key@o1.ingest.sentry.io/1");
            environment.put("SENTRY_DSN_TEAM_A", "https://team-a-key@o1.ingest.sentry.io/3");
            environment.put("SENTRY_DSN_TEAM_B", TEAM_B_DSN);
            environment.put("SENTRY_DSN_DATA_PLATFORM", "https://data-key@o1.ingest.sentry.io/4");

            // When
            Settings settings = SettingsParser.parse(environment);

            // Then
            RoutingSettings routing = settings.routing();
            assertThat(routing.projects()).containsOnlyKeys("team-a", "team-b", "data.platform");
            assertThat(routing.rules()).extracting(RoutingRule::project)
                    .containsExactly("team-a", "team-b", "data.platform");
            assertThat(routing.cluster()).contains("prod-eu-1");
            assertThat(routing.clusterInFingerprint()).isTrue();
            assertThat(routing.dsnAnnotations()).isFalse();
            assertThat(routing.globalTags()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("region", "eu-west-1", "owner", "platform"));
            assertThat(routing.labelTags()).containsExactly("app.kubernetes.io/name", "team");
            assertThat(settings.httpPort()).isEqualTo(8081);
            assertThat(settings.attachLogLines()).isEqualTo(200);
            assertThat(settings.routesReloadInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.leaderElection()).hasValueSatisfying(election -> {
                assertThat(election.leaseName()).isEqualTo("sentry-leader");
                assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
            });
        }

        @Test
        @DisplayName("sets every KUBE_SENTRY_* setting from config")
        void settings() {
            assertThat(env).containsOnlyKeys(union(SETTINGS, Set.of("SENTRY_DSN", "KUBE_SENTRY_ROUTES_DIR",
                    "KUBE_SENTRY_ROUTES_RELOAD_INTERVAL", "KUBE_SENTRY_LEADER_ELECTION", "KUBE_SENTRY_LEASE_NAME",
                    "KUBE_SENTRY_LEASE_DURATION", "KUBE_SENTRY_ATTACH_LOGS", "KUBE_SENTRY_ATTACH_LOG_LINES",
                    "KUBE_SENTRY_PROJECTS", "SENTRY_DSN_TEAM_A", "SENTRY_DSN_TEAM_B", "SENTRY_DSN_DATA_PLATFORM",
                    "KUBE_SENTRY_ROUTING")));
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
                    Map.entry("KUBE_SENTRY_HTTP_PORT", "8081"),
                    Map.entry("KUBE_SENTRY_BUFFER_DIR", "/tmp"),
                    Map.entry("KUBE_SENTRY_CLUSTER", "prod-eu-1"),
                    Map.entry("KUBE_SENTRY_CLUSTER_IN_FINGERPRINT", "true"),
                    Map.entry("KUBE_SENTRY_ALLOW_DSN_ANNOTATIONS", "false"),
                    Map.entry("KUBE_SENTRY_DSN_ALLOWED_HOSTS", "sentry.example.com,*.sentry.example.com"),
                    Map.entry("KUBE_SENTRY_TAGS", "owner=platform,region=eu-west-1"),
                    Map.entry("KUBE_SENTRY_LABEL_TAGS", "app.kubernetes.io/name,team"),
                    Map.entry("KUBE_SENTRY_PROJECTS", "data.platform,team-a,team-b"),
                    Map.entry("KUBE_SENTRY_ROUTING", ROUTING),
                    Map.entry("KUBE_SENTRY_ROUTES_DIR", "/etc/cluster-sentry/routes"),
                    Map.entry("KUBE_SENTRY_ROUTES_RELOAD_INTERVAL", "30s"),
                    Map.entry("KUBE_SENTRY_LEADER_ELECTION", "true"),
                    Map.entry("KUBE_SENTRY_LEASE_NAME", "sentry-leader"),
                    Map.entry("KUBE_SENTRY_LEASE_DURATION", "30s"),
                    Map.entry("KUBE_SENTRY_ATTACH_LOGS", "true"),
                    Map.entry("KUBE_SENTRY_ATTACH_LOG_LINES", "200")));
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
        @DisplayName("lets the agent reach only DNS, the API server and Sentry, and be reached on its port only")
        void networkPolicy() {
            NetworkPolicy policy = one(objects, NetworkPolicy.class);
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
                assertThat(rule.getPorts()).singleElement()
                        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8081));
                assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                        .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
            });
            List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
            assertThat(egress).hasSize(3);
            assertThat(egress.get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsOnly(53);
            assertThat(egress.get(0).getTo()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "dns-system"));
            assertThat(egress.get(1).getTo()).extracting(peer -> peer.getIpBlock().getCidr())
                    .containsExactly("10.96.0.1/32", "172.18.0.2/32");
            assertThat(egress.get(1).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(6443);
            assertThat(egress.get(2).getTo()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("10.20.0.0/16");
            assertThat(egress.get(2).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 9000);
        }

        @Test
        @DisplayName("keeps one of its two replicas through a voluntary disruption")
        void podDisruptionBudget() {
            PodDisruptionBudget budget = one(objects, PodDisruptionBudget.class);
            assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(budget.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
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
            assertThat(container(deployment).getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8081));

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
        @DisplayName("a NetworkPolicy only when asked for, and then only with the API server's addresses; by default"
                + " Sentry is any address but the private ranges")
        void networkPolicyOptIn() {
            assertThat(kinds(render(helm -> helm))).doesNotContain("NetworkPolicy");
            assertThatThrownBy(() -> render(helm -> helm.set("networkPolicy.enabled", true)))
                    .hasMessageContaining("networkPolicy.apiServer.cidrs");
            NetworkPolicy policy = one(render(helm -> helm.set("networkPolicy.enabled", true)
                    .set("networkPolicy.apiServer.cidrs[0]", "10.96.0.1/32")), NetworkPolicy.class);
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
                assertThat(rule.getFrom()).isNullOrEmpty();
                assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
            });
            assertThat(policy.getSpec().getEgress().get(2).getTo()).singleElement().satisfies(peer -> {
                assertThat(peer.getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
                assertThat(peer.getIpBlock().getExcept()).contains("10.0.0.0/8", "169.254.0.0/16");
            });
        }

        @Test
        @DisplayName("a PodDisruptionBudget only with more than one replica")
        void podDisruptionBudgetWithReplicas() {
            assertThat(kinds(render(helm -> helm))).doesNotContain("PodDisruptionBudget");
            assertThat(kinds(render(helm -> helm.set("replicaCount", 2).set("leaderElection.enabled", true))))
                    .contains("PodDisruptionBudget");
        }

        @Test
        @DisplayName("refuses a second replica without leader election: both would report every event")
        void replicasNeedLeaderElection() {
            assertThatThrownBy(() -> render(helm -> helm.set("replicaCount", 2)))
                    .hasMessageContaining("leaderElection.enabled");
        }

        @Test
        @DisplayName("pods/log only with attachLogs, leases only with leader election")
        void rbacFollowsTheOptions() {
            // When
            List<HasMetadata> logs = render(helm -> helm.set("attachLogs", true));
            List<HasMetadata> leader = render(helm -> helm.set("leaderElection.enabled", true));

            // Then
            assertReadOnly(one(logs, ClusterRole.class), true);
            assertThat(all(logs, io.fabric8.kubernetes.api.model.rbac.Role.class)).isEmpty();
            assertThat(env(one(logs, Deployment.class))).containsKeys("KUBE_SENTRY_ATTACH_LOGS",
                    "KUBE_SENTRY_ATTACH_LOG_LINES").doesNotContainKeys("KUBE_SENTRY_LEADER_ELECTION",
                    "KUBE_SENTRY_LEASE_NAME");
            assertThat(env(one(logs, Deployment.class)).get("KUBE_SENTRY_ATTACH_LOG_LINES").getValue()).isEqualTo("50");

            assertReadOnly(one(leader, ClusterRole.class), false);
            assertLeaseRole(leader, NAMESPACE, "kube-sentry-events", "kube-sentry-events");
            Map<String, EnvVar> env = env(one(leader, Deployment.class));
            assertThat(env).doesNotContainKeys("KUBE_SENTRY_ATTACH_LOGS", "KUBE_SENTRY_ATTACH_LOG_LINES");
            assertThat(env.get("KUBE_SENTRY_LEADER_ELECTION").getValue()).isEqualTo("true");
            assertThat(env.get("KUBE_SENTRY_LEASE_NAME").getValue()).as("the release's full name")
                    .isEqualTo("kube-sentry-events");
            assertThat(env.get("KUBE_SENTRY_LEASE_DURATION").getValue()).isEqualTo("15s");
        }

        @Test
        @DisplayName("names the Lease after the release, so two releases in one namespace elect apart")
        void leasePerRelease() {
            Map<String, EnvVar> env = env(one(render(helm -> helm.set("leaderElection.enabled", true)
                    .set("fullnameOverride", "team-sentry")), Deployment.class));

            assertThat(env.get("KUBE_SENTRY_LEASE_NAME").getValue()).isEqualTo("team-sentry");
        }

        @Test
        @DisplayName("nameOverride renames the pods' name label, and is refused with leader election, which finds replicas by it")
        void nameOverride() {
            assertThat(one(render(helm -> helm.set("nameOverride", "sentry-agent")), Deployment.class).getSpec()
                    .getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "sentry-agent");
            assertThatThrownBy(() -> render(helm -> helm.set("nameOverride", "sentry-agent")
                    .set("leaderElection.enabled", true)))
                    .hasMessageContaining("app.kubernetes.io/name=kube-sentry-events")
                    .hasMessageContaining("nameOverride");
        }

        @Test
        @DisplayName("refuses a routing rule naming a project that is not in projects")
        void routingToUnknownProject() {
            assertThatThrownBy(() -> render(helm -> helm.set("projects.team-a.existingSecret", "team-a-sentry")
                    .set("routing[0].namespace", "payments-*").set("routing[0].project", "team-c")))
                    .hasMessageContaining("routing[0]").hasMessageContaining("team-c");
        }

        @Test
        @DisplayName("refuses a routing rule with both namespace and selector, or neither")
        void routingRuleShape() {
            assertThatThrownBy(() -> render(helm -> helm.set("projects.team-a.existingSecret", "team-a-sentry")
                    .set("routing[0].namespace", "payments-*").set("routing[0].selector.team", "checkout")
                    .set("routing[0].project", "team-a")))
                    .hasMessageContaining("routing[0]").hasMessageContaining("not both");
            assertThatThrownBy(() -> render(helm -> helm.set("projects.team-a.existingSecret", "team-a-sentry")
                    .set("routing[0].project", "team-a")))
                    .hasMessageContaining("routing[0]");
        }

        @Test
        @DisplayName("refuses a project without a DSN, and two projects reading the same SENTRY_DSN_<NAME>")
        void projectsNeedOneDsnEach() {
            assertThatThrownBy(() -> render(helm -> helm.set("projects.team-a.key", "dsn")))
                    .hasMessageContaining("projects.team-a").hasMessageContaining("existingSecret");
            assertThatThrownBy(() -> render(helm -> helm.set("projects.team-a.existingSecret", "a")
                    .set("projects.team_a.existingSecret", "b")))
                    .hasMessageContaining("SENTRY_DSN_TEAM_A");
        }

        @Test
        @DisplayName("projects without sentry.dsn: a Secret with only the projects' DSNs, no SENTRY_DSN")
        void projectsWithoutDefaultDsn() {
            // When
            List<HasMetadata> objects = render(helm -> helm.set("projects.team-a.dsn", TEAM_B_DSN));

            // Then
            assertThat(one(objects, Secret.class).getData()).containsOnlyKeys("dsn-team-a");
            Map<String, EnvVar> env = env(one(objects, Deployment.class));
            assertThat(env).doesNotContainKeys("SENTRY_DSN", "KUBE_SENTRY_ROUTING");
            assertThat(env.get("SENTRY_DSN_TEAM_A").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("dsn-team-a");
            assertNoDsnLiteral(one(objects, Deployment.class), List.of(TEAM_B_DSN));
        }

        @Test
        @DisplayName("refuses an HTTP port the probes could not reach")
        void httpPort() {
            assertThatThrownBy(() -> render(helm -> helm.set("config.httpPort", 0)))
                    .hasMessageContaining("config.httpPort");
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
