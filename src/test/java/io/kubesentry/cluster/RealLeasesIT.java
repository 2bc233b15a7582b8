package io.kubesentry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCluster.class)
@DisplayName("Two replicas on a real Lease, with the chart's leader-election RBAC")
class RealLeasesIT {

    private static final String MOUNT = "MountVolume.SetUp failed for volume \"data\" : secret \"data\" not found";

    @Test
    @DisplayName("one sends; the leader is SIGKILLed, the other takes over; one issue per incident; the Lease is the agent's own")
    void takeover(ControlPlane plane, @TempDir Path dir) throws Exception {
        Workloads cluster = new Workloads(plane);
        String agentNs = "kse-leases";
        AgentIdentity identity = AgentIdentity.fromChart(plane, dir, agentNs, agentNs,
                Map.of("leaderElection.enabled", "true"));
        String ns = cluster.namespace("leases");
        KubernetesClient client = cluster.client();
        for (String replica : new String[] {"first", "second"}) {
            replicaPod(client, agentNs, replica);
        }
        AgentEndpoints firstPort = AgentEndpoints.onFreePort();
        AgentEndpoints secondPort = AgentEndpoints.onFreePort();
        try (SentryRecorder sentry = new SentryRecorder();
                AgentJar first = AgentJar.start(dir.resolve("first"), identity.kubeconfig(),
                        env(identity, sentry, ns, "first", firstPort));
                AgentJar second = AgentJar.start(dir.resolve("second"), identity.kubeconfig(),
                        env(identity, sentry, ns, "second", secondPort))) {
            AgentJar leader;
            try {
                leader = await().atMost(Duration.ofSeconds(60)).until(
                        () -> leads(first) ? first : leads(second) ? second : null, l -> l != null);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no replica leads:\n" + Agents.stderr(first), e);
            }
            AgentJar follower = leader == first ? second : first;
            String leaderName = leader == first ? "first" : "second";
            cluster.kubeletEvent(ns, "api-7d9f8b6c5-x2k4q", "FailedMount", MOUNT);
            Agents.awaitWorkloadIssue(leader, sentry, ns, "api", "FailedMount");

            // When: the leader dies without a goodbye; Kubernetes deletes its pod
            leader.kill();
            client.pods().inNamespace(agentNs).withName(leaderName).withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> leads(follower));
            cluster.kubeletEvent(ns, "web-5c7f9d8b4-k2x9p", "FailedMount", MOUNT);

            // Then: the new incident from the new leader, the old one not again
            Agents.awaitWorkloadIssue(follower, sentry, ns, "web", "FailedMount");
            follower.close();
            assertThat(Agents.issues(sentry, ns)).extracting(Agents::workload)
                    .containsExactly("api", "web");
        }
        assertThat(client.leases().inNamespace(agentNs).list().getItems()).as("the Lease, in the agent's namespace")
                .extracting(lease -> lease.getMetadata().getName())
                .containsExactly(identity.environment().get("KUBE_SENTRY_LEASE_NAME") + "-leader");
        assertThat(AuditLog.writesBy(plane, identity.username())).as("what the agent wrote").isNotEmpty()
                .allSatisfy(write -> {
                    assertThat(write.resource()).isEqualTo("leases");
                    assertThat(write.namespace()).isEqualTo(agentNs);
                });
    }

    private static boolean leads(AgentJar agent) {
        return Agents.stderr(agent).contains("leads: watching the cluster");
    }

    /** The replica's own pod, running and ready as its kubelet reports it: only such pods may lead. */
    private static void replicaPod(KubernetesClient client, String namespace, String name) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("app.kubernetes.io/name", "kube-sentry-events").endMetadata()
                .withNewSpec().withNodeName("small-node-a").addNewContainer().withName("agent")
                .withImage("kube-sentry-events:test").endContainer().endSpec().build()).create();
        client.pods().inNamespace(namespace).withName(name).editStatus(pod -> new PodBuilder(pod).withNewStatus()
                .withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build());
    }

    /** The chart's leader-election variables (the Lease its Role grants), a short lease, the pod's identity. */
    private static Map<String, String> env(AgentIdentity identity, SentryRecorder sentry, String ns, String pod,
            AgentEndpoints endpoints) {
        Map<String, String> env = new HashMap<>();
        env.put("SENTRY_DSN", sentry.dsn());
        env.put("KUBE_SENTRY_NAMESPACES", ns);
        env.put("KUBE_SENTRY_LEADER_ELECTION", identity.environment().get("KUBE_SENTRY_LEADER_ELECTION"));
        env.put("KUBE_SENTRY_LEASE_NAME", identity.environment().get("KUBE_SENTRY_LEASE_NAME"));
        env.put("KUBE_SENTRY_LEASE_DURATION", "4s");
        env.put("POD_NAMESPACE", identity.namespace());
        env.put("POD_NAME", pod);
        env.put("KUBE_SENTRY_HTTP_PORT", String.valueOf(endpoints.port()));
        return env;
    }
}
