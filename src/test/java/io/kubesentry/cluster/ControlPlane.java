package io.kubesentry.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd and kube-apiserver started by fabric8's kube-api-test
 * (offline, from the binaries {@code testbed/build.sh} built), kube-scheduler and kube-controller-manager
 * started beside them against the same server. RBAC authorization and service-account tokens are on; every
 * write is audited, so a test can tell what an identity wrote.
 */
public final class ControlPlane implements AutoCloseable {

    private final Path dir;
    private final Testbed testbed;
    private final KubeAPIServer apiServer;
    private final List<ComponentProcess> components = new ArrayList<>();
    private final KubernetesClient admin;
    private final Path adminKubeconfig;

    private ControlPlane(Path dir, Testbed testbed) throws IOException {
        this.dir = dir;
        this.testbed = testbed;
        Files.writeString(dir.resolve("audit-policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived, ResponseStarted]
                rules:
                - level: None
                  verbs: [get, watch]
                - level: None
                  verbs: [list]
                  userGroups: ["system:masters"]
                - level: Metadata
                """);
        apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir.toString())
                .withApiServerVersion(testbed.release())
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .withApiServerFlag("--advertise-address", "127.0.0.1")
                // a loopback address is refused for the kubernetes Service's endpoints, which no test needs
                .withApiServerFlag("--endpoint-reconciler-type", "none")
                .withApiServerFlag("--audit-policy-file", dir.resolve("audit-policy.yaml").toString())
                .withApiServerFlag("--audit-log-path", auditLog().toString())
                .withApiServerFlag("--audit-log-format", "json")
                .build());
        apiServer.start();
        adminKubeconfig = Files.writeString(dir.resolve("admin.kubeconfig"), apiServer.getKubeConfigYaml());
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(adminKubeconfig))).build();
    }

    /** Starts the whole control plane in {@code dir}, from the test bed's binaries. */
    public static ControlPlane start(Path dir, Testbed testbed) throws IOException {
        Files.createDirectories(dir);
        testbed.linkInto(dir);
        ControlPlane plane = new ControlPlane(dir, testbed);
        try {
            plane.startControllers();
            return plane;
        } catch (IOException | RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    private void startControllers() throws IOException {
        String kubeconfig = adminKubeconfig.toString();
        components.add(ComponentProcess.start(dir, testbed.binary("kube-scheduler"),
                "--kubeconfig=" + kubeconfig, "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=0"));
        components.add(ComponentProcess.start(dir, testbed.binary("kube-controller-manager"),
                "--kubeconfig=" + kubeconfig, "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=0",
                "--controllers=*", "--use-service-account-credentials=false",
                "--service-account-private-key-file=" + dir.resolve("apiserver.key"),
                "--root-ca-file=" + dir.resolve("apiserver.crt"),
                "--concurrent-deployment-syncs=2", "--concurrent-replicaset-syncs=2",
                // no kubelet renews the Nodes' Leases: without this the node controller would mark them NotReady
                // after 40 s (a NodeNotReady issue in the middle of a test) and evict their pods
                "--node-monitor-grace-period=24h"));
        try {
            // the service-account controller gives every namespace its default ServiceAccount
            await().atMost(Duration.ofSeconds(60)).failFast("a controller exited",
                            () -> components.stream().anyMatch(c -> !c.isAlive()))
                    .until(() -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
        } catch (RuntimeException e) {
            throw new IllegalStateException("kube-controller-manager did not start:\n"
                    + logOf("kube-controller-manager") + "\nkube-scheduler:\n" + logOf("kube-scheduler"), e);
        }
    }

    /** A client with the cluster-admin rights of the test itself (system:masters). */
    public KubernetesClient admin() {
        return admin;
    }

    public String url() {
        return admin.getMasterUrl().toString();
    }

    /** The CA a client trusts the API server with (kube-api-test's self-signed serving certificate). */
    public Path certificateAuthority() {
        return dir.resolve("apiserver.crt");
    }

    /** One JSON line per request the API server answered but get and watch, and the lists of system:masters. */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public Path directory() {
        return dir;
    }

    public Testbed testbed() {
        return testbed;
    }

    /** The component's log, for a test's failure message. */
    public String logOf(String component) throws IOException {
        Path log = dir.resolve(component + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        components.forEach(ComponentProcess::close);
        if (admin != null) {
            admin.close();
        }
        apiServer.stop();
    }
}
