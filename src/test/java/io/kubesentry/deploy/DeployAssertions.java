package io.kubesentry.deploy;

import static io.kubesentry.deploy.Manifests.GETS;
import static io.kubesentry.deploy.Manifests.LIVENESS;
import static io.kubesentry.deploy.Manifests.NON_ROOT_USER;
import static io.kubesentry.deploy.Manifests.READINESS;
import static io.kubesentry.deploy.Manifests.READS;
import static io.kubesentry.deploy.Manifests.READ_ONLY;
import static io.kubesentry.deploy.Manifests.container;
import static io.kubesentry.deploy.Manifests.env;
import static io.kubesentry.deploy.Manifests.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The properties the issue asks of every way to deploy: read-only RBAC, a hardened pod, the DSN from a Secret. */
final class DeployAssertions {

    private DeployAssertions() {
    }

    /**
     * Every rule only reads, except leases (leader election) where {@code leases} is true; the resources
     * are exactly what the program reads (get, list, watch; get only on namespaces), plus {@code pods/log}
     * (get) when {@code podLogs} is true.
     */
    /** Reads only, cluster-wide: never a Lease (leader election's is in {@link #assertLeaseRole}). */
    static void assertReadOnly(ClusterRole role, boolean podLogs) {
        Map<String, Set<String>> granted = new HashMap<>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getResourceNames()).as("rules name no single objects").isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    granted.computeIfAbsent(group, g -> new TreeSet<>()).add(resource);
                    assertThat(resource).isNotEqualTo("*");
                    if (resource.equals("pods/log")) {
                        assertThat(rule.getVerbs()).containsExactly("get");
                    } else if (GETS.getOrDefault(group, Set.of()).contains(resource)) {
                        assertThat(rule.getVerbs()).as("verbs on %s/%s", group, resource).containsExactly("get");
                    } else {
                        assertThat(rule.getVerbs()).as("verbs on %s/%s", group, resource)
                                .containsExactlyInAnyOrderElementsOf(READ_ONLY);
                    }
                }
            }
        }
        Map<String, Set<String>> expected = new HashMap<>();
        READS.forEach((group, resources) -> expected.put(group, new TreeSet<>(resources)));
        GETS.forEach((group, resources) -> expected.get(group).addAll(resources));
        if (podLogs) {
            expected.get("").add("pods/log");
        }
        assertThat(granted).isEqualTo(expected);
    }

    /**
     * Leader election's rights: a Role in the agent's namespace, bound to its ServiceAccount there, with get and
     * update on the one Lease by name and create (which no name can limit) on leases; nothing else.
     */
    static void assertLeaseRole(List<io.fabric8.kubernetes.api.model.HasMetadata> objects, String namespace,
            String lease, String serviceAccount) {
        Role role = Manifests.one(objects, Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(role.getRules()).hasSize(2).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
        });
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResourceNames()).as("the Lease the agent names <lease>-leader")
                    .containsExactly(lease + "-leader");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update");
        });
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getVerbs()).containsExactly("create");
        });
        RoleBinding binding = Manifests.one(objects, RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(serviceAccount);
            assertThat(subject.getNamespace()).isEqualTo(namespace);
        });
    }

    /** Non-root, read-only root filesystem, no privilege escalation, no capabilities, seccomp RuntimeDefault. */
    static void assertHardened(Deployment deployment) {
        PodSecurityContext podSecurity = pod(deployment).getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getRunAsUser()).isEqualTo(NON_ROOT_USER);
        assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod(deployment).getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod(deployment).getHostPID()).isNotEqualTo(Boolean.TRUE);

        Container container = container(deployment);
        SecurityContext security = container.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getRunAsUser()).isEqualTo(NON_ROOT_USER);
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        // a read-only root: the JVM's temporary files go to an emptyDir
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(pod(deployment).getVolumes()).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        });
    }

    /**
     * Liveness (and start-up) on the live endpoint, readiness on the ready one, by the named http port: the
     * port the program serves on (KUBE_SENTRY_HTTP_PORT, default 8080).
     */
    static void assertProbes(Deployment deployment) {
        Container container = container(deployment);
        EnvVar httpPort = env(deployment).get("KUBE_SENTRY_HTTP_PORT");
        int served = httpPort == null ? 8080 : Integer.parseInt(httpPort.getValue());
        assertThat(container.getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(served);
        });
        assertProbe(container.getLivenessProbe(), LIVENESS);
        assertProbe(container.getStartupProbe(), LIVENESS);
        assertProbe(container.getReadinessProbe(), READINESS);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    /** SENTRY_DSN comes from a Secret, never a literal; returns the reference. */
    static SecretKeySelector assertDsnFromSecret(Deployment deployment) {
        EnvVar dsn = env(deployment).get("SENTRY_DSN");
        assertThat(dsn).as("SENTRY_DSN").isNotNull();
        assertThat(dsn.getValue()).as("a literal DSN").isNull();
        assertThat(dsn.getValueFrom().getSecretKeyRef()).isNotNull();
        return dsn.getValueFrom().getSecretKeyRef();
    }

    /** No environment variable holds one of these DSNs as a literal value. */
    static void assertNoDsnLiteral(Deployment deployment, List<String> dsns) {
        for (EnvVar variable : container(deployment).getEnv()) {
            for (String dsn : dsns) {
                assertThat(String.valueOf(variable.getValue())).as(variable.getName()).doesNotContain(dsn);
            }
        }
    }
}
