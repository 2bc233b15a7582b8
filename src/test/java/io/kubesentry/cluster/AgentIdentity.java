package io.kubesentry.cluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's identity as the project ships it (and the literal variables its Deployment sets): the ServiceAccount and its RBAC objects from the Helm chart as
 * rendered (or from {@code deploy/kubernetes}), applied to the real server, and a kubeconfig holding a token for
 * that ServiceAccount (TokenRequest). The agent run with it has exactly the shipped permissions.
 */
public record AgentIdentity(String namespace, String serviceAccount, Path kubeconfig, Map<String, String> environment) {

    static final Path CHART = Path.of("deploy/helm/kube-sentry-events");
    static final Path PLAIN = Path.of("deploy/kubernetes");
    private static final Set<String> IDENTITY_KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding",
            "Role", "RoleBinding");

    /** The username the API server knows this identity by (audit log, RBAC). */
    public String username() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }

    /** The same identity, its kubeconfig (written beside this one) pointing at another API server. */
    public AgentIdentity pointedAt(String from, String to) throws IOException {
        Path other = kubeconfig.resolveSibling("kubeconfig-" + Integer.toHexString(to.hashCode()));
        Files.writeString(other, Files.readString(kubeconfig).replace(from, to));
        return new AgentIdentity(namespace, serviceAccount, other, environment);
    }

    /**
     * {@code helm template <release> deploy/helm/kube-sentry-events -n <namespace> --set ...}: its identity objects
     * applied, a token issued for its ServiceAccount, a kubeconfig written into {@code dir}.
     */
    public static AgentIdentity fromChart(ControlPlane plane, Path dir, String release, String namespace,
            Map<String, String> values) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace);
        values.forEach(template::set);
        return apply(plane, dir, namespace, parse(plane.admin(), template.call()));
    }

    /** Every file of {@code deploy/kubernetes}, its identity objects only, as a user applies them. */
    public static AgentIdentity fromPlainManifests(ControlPlane plane, Path dir) throws IOException {
        List<HasMetadata> objects = plainManifests(plane.admin());
        String namespace = objects.stream().filter(o -> o.getKind().equals("ServiceAccount")).findFirst()
                .orElseThrow().getMetadata().getNamespace();
        return apply(plane, dir, namespace, objects);
    }

    /** Every object of every file of {@code deploy/kubernetes}, in file order, as `kubectl apply -f` reads them. */
    static List<HasMetadata> plainManifests(KubernetesClient client) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(PLAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                all.append(Files.readString(file)).append("\n---\n");
            }
        }
        return parse(client, all.toString());
    }

    static List<HasMetadata> parse(KubernetesClient client, String yaml) {
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o != null)
                .toList();
    }

    /** The variables the rendered Deployment sets to literal values (the Lease's name, say), as the pod gets them. */
    private static Map<String, String> literalEnvironment(List<HasMetadata> objects) {
        Map<String, String> environment = new java.util.HashMap<>();
        objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o)
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
                .filter(env -> env.getValue() != null)
                .forEach(env -> environment.put(env.getName(), env.getValue()));
        return environment;
    }

    private static AgentIdentity apply(ControlPlane plane, Path dir, String namespace, List<HasMetadata> objects)
            throws IOException {
        KubernetesClient admin = plane.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        String serviceAccount = null;
        for (HasMetadata object : objects) {
            if (!IDENTITY_KINDS.contains(object.getKind())) {
                continue;
            }
            if (object.getKind().equals("ServiceAccount")) {
                serviceAccount = object.getMetadata().getName();
            }
            admin.resource(object).fieldManager("kube-sentry-events-tests").forceConflicts().serverSideApply();
        }
        if (serviceAccount == null) {
            throw new IllegalStateException("the manifests hold no ServiceAccount");
        }
        String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Files.createDirectories(dir);
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: testbed
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: testbed
                  context:
                    cluster: testbed
                    user: %s
                current-context: testbed
                """.formatted(plane.url(), plane.certificateAuthority(), serviceAccount, token, serviceAccount));
        return new AgentIdentity(namespace, serviceAccount, kubeconfig, literalEnvironment(objects));
    }
}
