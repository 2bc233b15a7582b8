package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCluster.class)
@DisplayName("Owners as the real controllers make them: the issue names the workload, not the pod")
class RealOwnersIT {

    @Test
    @DisplayName("StatefulSet, DaemonSet and CronJob pods that fit no node: FailedScheduling named after each workload")
    void workloadsNamed(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        cluster.node("small-node-a");
        cluster.node("small-node-b");
        AgentIdentity identity = AgentIdentity.fromPlainManifests(plane, dir);
        String ns = cluster.namespace("owners");
        AgentEndpoints endpoints = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar agent = Agents.start(dir.resolve("agent"), identity.kubeconfig(), sentry, endpoints,
                        Map.of("KUBE_SENTRY_NAMESPACES", ns))) {
            Agents.awaitReady(agent, endpoints);
            KubernetesClient client = cluster.client();

            // When: each workload's controller makes a pod that asks for more memory than any node has
            client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder()
                    .withNewMetadata().withName("db").endMetadata()
                    .withNewSpec().withReplicas(1).withServiceName("db")
                    .withNewSelector().addToMatchLabels("app", "db").endSelector()
                    .withTemplate(Workloads.template("db", "64Gi")).endSpec().build()).create();
            client.apps().daemonSets().inNamespace(ns).resource(new DaemonSetBuilder()
                    .withNewMetadata().withName("collector").endMetadata()
                    .withNewSpec().withNewSelector().addToMatchLabels("app", "collector").endSelector()
                    .withTemplate(Workloads.template("collector", "64Gi")).endSpec().build()).create();
            client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder()
                    .withNewMetadata().withName("nightly-report").endMetadata()
                    .withNewSpec().withSchedule("* * * * *").withNewJobTemplate().withNewSpec()
                    .withBackoffLimit(0).withTemplate(Workloads.template("report", "64Gi"))
                    .editTemplate().editSpec().withRestartPolicy("Never").endSpec().endTemplate()
                    .endSpec().endJobTemplate().endSpec().build()).create();

            // Then
            JsonNode db = Agents.awaitWorkloadIssue(agent, sentry, ns, "db", "FailedScheduling");
            assertWorkload(db, "StatefulSet", "db");
            JsonNode collector = Agents.awaitWorkloadIssue(agent, sentry, ns, "collector", "FailedScheduling");
            assertWorkload(collector, "DaemonSet", "collector");
            // the CronJob controller makes its Job at the next full minute, the Job controller its pod
            JsonNode report = Agents.awaitWorkloadIssue(agent, sentry, ns, "nightly-report", "FailedScheduling");
            assertWorkload(report, "CronJob", "nightly-report");
        }
        assertThat(AuditLog.writesBy(plane, identity.username())).as("what the agent wrote").isEmpty();
    }

    private static void assertWorkload(JsonNode issue, String kind, String name) {
        assertThat(issue.path("fingerprint").get(1).asText()).isEqualTo(kind + "/" + name);
        assertThat(issue.path("tags").path("k8s.deployment").asText()).as("the seed's workload tag").isEqualTo(name);
        assertThat(issue.path("tags").path("k8s.workload_kind").asText()).isEqualTo(kind);
    }
}
