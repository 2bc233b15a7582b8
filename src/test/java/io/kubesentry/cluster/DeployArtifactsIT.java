package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealCluster.class)
@DisplayName("Every object the chart renders and deploy/kubernetes holds, accepted by a real API server")
class DeployArtifactsIT {

    private static final String SERVICE_MONITOR_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: servicemonitors.monitoring.coreos.com
            spec:
              group: monitoring.coreos.com
              scope: Namespaced
              names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;

    @Test
    @DisplayName("the chart with its defaults: server-side applied into a restricted namespace, its pods admitted")
    void chartDefaults(ControlPlane plane) throws IOException {
        applyChart(plane, "kse-defaults", helm -> helm.set("sentry.dsn", "https://key@o1.ingest.sentry.io/1"));
    }

    @Test
    @DisplayName("the chart with every option the chart tests set (leader election, logs, projects, ServiceMonitor, ...)")
    void chartAllOptions(ControlPlane plane) throws IOException {
        plane.admin().load(new java.io.ByteArrayInputStream(SERVICE_MONITOR_CRD.getBytes())).serverSideApply();
        await().atMost(Duration.ofSeconds(30)).until(() -> plane.admin().apiextensions().v1()
                .customResourceDefinitions().withName("servicemonitors.monitoring.coreos.com").get()
                .getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
        applyChart(plane, "kse-all-options",
                helm -> helm.withValuesFile(Path.of("src/test/resources/deploy/all-values.yaml")));
    }

    @Test
    @DisplayName("deploy/kubernetes, every file as `kubectl apply --server-side -f deploy/kubernetes/` sends it")
    void plainManifests(ControlPlane plane) throws IOException {
        List<HasMetadata> objects = AgentIdentity.plainManifests(plane.admin());
        assertThat(objects).filteredOn(o -> o.getKind().equals("Namespace")).singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getLabels())
                        .containsEntry("pod-security.kubernetes.io/enforce", "restricted"));
        applyAll(plane.admin(), objects);
        assertPodsAdmitted(plane.admin(), objects);
    }

    private static void applyChart(ControlPlane plane, String release, UnaryOperator<TemplateCommand> options) {
        KubernetesClient admin = plane.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(release)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata().build()).serverSideApply();
        String yaml = options.apply(new Helm(AgentIdentity.CHART).template().withName(release).withNamespace(release))
                .call();
        List<HasMetadata> objects = AgentIdentity.parse(admin, yaml);
        objects.forEach(object -> {
            if (object.getMetadata().getNamespace() == null && isNamespaced(object)) {
                object.getMetadata().setNamespace(release);
            }
        });
        applyAll(admin, objects);
        assertPodsAdmitted(admin, objects);
    }

    private static boolean isNamespaced(HasMetadata object) {
        return !List.of("ClusterRole", "ClusterRoleBinding", "Namespace", "CustomResourceDefinition")
                .contains(object.getKind());
    }

    private static void applyAll(KubernetesClient admin, List<HasMetadata> objects) {
        assertThat(objects).as("rendered objects").isNotEmpty();
        for (HasMetadata object : objects) {
            try {
                admin.resource(object).fieldManager("kube-sentry-events-tests").forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw new AssertionError("the API server refused " + object.getKind() + " "
                        + object.getMetadata().getName() + ": " + e.getStatus().getMessage(), e);
            }
        }
    }

    /** The restricted Pod Security level is enforced on pods: the Deployment's pods exist only if admitted. */
    private static void assertPodsAdmitted(KubernetesClient admin, List<HasMetadata> objects) {
        for (HasMetadata object : objects) {
            if (!(object instanceof Deployment deployment)) {
                continue;
            }
            String namespace = deployment.getMetadata().getNamespace();
            Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
            await().atMost(Duration.ofSeconds(60)).failFast("a pod was refused", () -> refusal(admin, namespace))
                    .until(() -> admin.pods().inNamespace(namespace).withLabels(selector).list().getItems(),
                            (List<Pod> pods) -> pods.size() == deployment.getSpec().getReplicas());
        }
    }

    /** The ReplicaSet controller's ReplicaFailure condition says why it could not create a pod. */
    private static boolean refusal(KubernetesClient admin, String namespace) {
        return admin.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .map(ReplicaSet::getStatus)
                .filter(status -> status != null && status.getConditions() != null)
                .flatMap(status -> status.getConditions().stream())
                .filter(c -> c.getType().equals("ReplicaFailure") && c.getStatus().equals("True"))
                .peek(c -> System.err.println("ReplicaFailure in " + namespace + ": " + c.getMessage()))
                .findAny().isPresent();
    }
}
