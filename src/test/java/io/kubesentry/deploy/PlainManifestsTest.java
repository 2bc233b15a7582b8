package io.kubesentry.deploy;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import static io.kubesentry.deploy.DeployAssertions.assertDsnFromSecret;
import static io.kubesentry.deploy.DeployAssertions.assertHardened;
import static io.kubesentry.deploy.DeployAssertions.assertProbes;
import static io.kubesentry.deploy.DeployAssertions.assertLeaseRole;
import static io.kubesentry.deploy.DeployAssertions.assertReadOnly;
import static io.kubesentry.deploy.Manifests.NAMESPACE;
import static io.kubesentry.deploy.Manifests.PLAIN;
import static io.kubesentry.deploy.Manifests.container;
import static io.kubesentry.deploy.Manifests.env;
import static io.kubesentry.deploy.Manifests.one;
import static io.kubesentry.deploy.Manifests.pod;
import static io.kubesentry.deploy.Manifests.routeFiles;
import static io.kubesentry.deploy.Manifests.yamlFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The plain manifests of deploy/kubernetes, applied to a mock API server")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainManifestsTest {

    static final String PLACEHOLDER_DSN = "https://public@example.invalid/1";

    KubernetesMockServer server;
    KubernetesClient client;
    /** What the API server holds after `kubectl apply -f deploy/kubernetes/`, read back. */
    List<HasMetadata> applied = new ArrayList<>();
    Deployment deployment;

    @BeforeAll
    void apply() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient(new VertxHttpClientFactory()); // the test's own client; the agent's is the JDK one

        for (Path file : yamlFiles(PLAIN)) {
            List<HasMetadata> objects = Manifests.parse(file);
            assertThat(objects).as("objects in %s", file).hasSize(1);
            client.resource(objects.get(0)).create();
        }
        for (Path file : yamlFiles(PLAIN)) {
            HasMetadata written = Manifests.parse(file).get(0);
            HasMetadata stored = client.resource(written).get();
            assertThat(stored).as("%s read back", file).isNotNull();
            applied.add(stored);
        }
        deployment = one(applied, Deployment.class);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    @DisplayName("hold a namespace, the read-only identity, the DSN Secret, the routes, the agent and its service")
    void objects() {
        assertThat(Manifests.kinds(applied)).containsExactly("ClusterRole", "ClusterRoleBinding", "ConfigMap",
                "Deployment", "Namespace", "Role", "RoleBinding", "Secret", "Service", "ServiceAccount");
        assertThat(one(applied, Namespace.class).getMetadata().getName()).isEqualTo(NAMESPACE);
        assertThat(applied).filteredOn(o -> !o.getKind().startsWith("Cluster") && !o.getKind().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems())
                .extracting(d -> d.getMetadata().getName()).containsExactly("kube-sentry-events");
    }

    @Test
    @DisplayName("grant get, list and watch on exactly what the program reads, to the agent's ServiceAccount")
    void readOnlyRbac() {
        ClusterRole role = one(applied, ClusterRole.class);
        assertReadOnly(role, false);
        assertLeaseRole(applied, NAMESPACE, "kube-sentry-events", one(applied, ServiceAccount.class).getMetadata().getName());

        ClusterRoleBinding binding = one(applied, ClusterRoleBinding.class);
        ServiceAccount account = one(applied, ServiceAccount.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(pod(deployment).getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    }

    @Test
    @DisplayName("run one hardened pod that the restricted Pod Security Standard admits, probed on the health endpoints")
    void hardenedPod() {
        assertHardened(deployment);
        assertProbes(deployment);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(one(applied, Namespace.class).getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    @DisplayName("label the pod app.kubernetes.io/name=kube-sentry-events, the label leader election finds replicas by")
    void memberLabel() {
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Manifests.MEMBER_LABEL, Manifests.MEMBER_LABEL_VALUE);
    }

    @Test
    @DisplayName("hand the DSN over from the placeholder Secret, never as a literal")
    void dsnFromSecret() {
        Secret secret = one(applied, Secret.class);
        assertThat(secret.getStringData()).containsOnlyKeys("dsn").containsEntry("dsn", PLACEHOLDER_DSN);
        SecretKeySelector dsn = assertDsnFromSecret(deployment);
        assertThat(dsn.getName()).isEqualTo(secret.getMetadata().getName());
        assertThat(dsn.getKey()).isEqualTo("dsn");
        assertThat(Manifests.read(PLAIN.resolve("04-secret.yaml"))).containsIgnoringCase("replace");
    }

    @Test
    @DisplayName("ship routes/*.camel.yaml in the ConfigMap byte for byte (deploy/sync-routes.sh copies them)")
    void routesAreTheShippedOnes() {
        ConfigMap routes = one(applied, ConfigMap.class);
        assertThat(routes.getData()).as("run deploy/sync-routes.sh after changing routes/")
                .isEqualTo(routeFiles());
    }

    @Test
    @DisplayName("mount the routes ConfigMap, as a whole directory, where KUBE_SENTRY_ROUTES_DIR points")
    void routesMounted() {
        ConfigMap routes = one(applied, ConfigMap.class);
        Volume volume = pod(deployment).getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo(routes.getMetadata().getName());
        VolumeMount mount = container(deployment).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
        assertThat(mount.getSubPath()).isNull();
        assertThat(env(deployment).get("KUBE_SENTRY_ROUTES_DIR").getValue())
                .isEqualTo(mount.getMountPath()).isEqualTo("/etc/kube-sentry-events/routes");
    }

    @Test
    @DisplayName("serve port 8080 named http of the agent's pod")
    void service() {
        Service service = one(applied, Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
        });
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
    }

    @Test
    @DisplayName("match the Helm chart rendered with a DSN and the same routes")
    void inStepWithTheChart(@TempDir Path dir) throws IOException {
        // Given: the chart with what the plain manifests fix (a DSN, the routes of routes/)
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, Manifests.SERIALIZATION.asYaml(Map.of(
                "sentry", Map.of("dsn", PLACEHOLDER_DSN),
                "routes", routeFiles())), StandardCharsets.UTF_8);

        // When
        List<HasMetadata> chart = Manifests.render(helm -> helm.withValuesFile(values));

        // Then: the same objects under the same names (the Lease's Role is the chart's with leader election)
        assertThat(Manifests.kinds(chart)).containsExactlyElementsOf(Manifests.kinds(applied).stream()
                .filter(kind -> !kind.equals("Namespace") && !kind.startsWith("Role")).toList());
        List<HasMetadata> leader = Manifests.render(helm -> helm.withValuesFile(values).set("leaderElection.enabled", true));
        assertThat(one(applied, Role.class).getRules()).isEqualTo(one(leader, Role.class).getRules());
        assertThat(one(applied, Role.class).getMetadata().getName()).isEqualTo(one(leader, Role.class).getMetadata().getName());
        for (HasMetadata object : chart) {
            assertThat(applied).as("%s %s", object.getKind(), object.getMetadata().getName())
                    .anySatisfy(plain -> {
                        assertThat(plain.getKind()).isEqualTo(object.getKind());
                        assertThat(plain.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
                    });
        }
        // the same permissions, routes, settings, pod and container
        assertThat(one(applied, ClusterRole.class).getRules()).isEqualTo(one(chart, ClusterRole.class).getRules());
        assertThat(one(applied, ConfigMap.class).getData()).isEqualTo(one(chart, ConfigMap.class).getData());
        Deployment rendered = one(chart, Deployment.class);
        assertThat(env(deployment).keySet()).containsExactlyElementsOf(env(rendered).keySet());
        assertThat(env(deployment)).isEqualTo(env(rendered));
        assertThat(pod(deployment).getSecurityContext()).isEqualTo(pod(rendered).getSecurityContext());
        assertThat(pod(deployment).getVolumes()).isEqualTo(pod(rendered).getVolumes());
        assertThat(pod(deployment).getServiceAccountName()).isEqualTo(pod(rendered).getServiceAccountName());
        assertThat(deployment.getSpec().getStrategy()).isEqualTo(rendered.getSpec().getStrategy());
        assertThat(container(deployment).getSecurityContext()).isEqualTo(container(rendered).getSecurityContext());
        assertThat(container(deployment).getResources()).isEqualTo(container(rendered).getResources());
        assertThat(container(deployment).getPorts()).isEqualTo(container(rendered).getPorts());
        assertThat(container(deployment).getVolumeMounts()).isEqualTo(container(rendered).getVolumeMounts());
        assertThat(container(deployment).getStartupProbe()).isEqualTo(container(rendered).getStartupProbe());
        assertThat(container(deployment).getLivenessProbe()).isEqualTo(container(rendered).getLivenessProbe());
        assertThat(container(deployment).getReadinessProbe()).isEqualTo(container(rendered).getReadinessProbe());
        assertThat(container(deployment).getImage()).isEqualTo(container(rendered).getImage());
        assertThat(one(applied, Service.class).getSpec().getPorts())
                .isEqualTo(one(chart, Service.class).getSpec().getPorts());
    }
}
