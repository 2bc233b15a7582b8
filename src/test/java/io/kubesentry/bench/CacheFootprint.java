package io.kubesentry.bench;

import io.kubesentry.camel.ExpiringIdempotentRepository;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerSnapshot;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.podstatus.RootCauses;
import io.kubesentry.report.RecentEvents;
import io.kubesentry.routing.MetadataLookup;
import io.kubesentry.routing.MetadataLookup.Metadata;
import io.kubesentry.routing.ProjectRouter;
import io.kubesentry.routing.RoutingSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The heap the agent's bounded caches hold when full, with entries shaped like a busy cluster's
 * (docs/performance.md): each cache is filled to the bound the agent gives it, and the live heap is read before and
 * after, around full collections. Not a test.
 *
 * <pre>java -cp target/test-classes:target/classes:&lt;test classpath&gt; io.kubesentry.bench.CacheFootprint</pre>
 */
public final class CacheFootprint {

    private static final Instant SEEN = Instant.parse("2026-12-01T10:00:00Z");
    /** What kubectl apply leaves on every object it made: the whole manifest again. */
    private static final String LAST_APPLIED = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"," + "\"spec\":"
            + "x".repeat(4_000) + "}";

    /** Every cache filled so far, kept reachable so that each reading counts only the newest. */
    private static final java.util.List<Object> FILLED = new java.util.ArrayList<>();

    private CacheFootprint() {
    }

    public static void main(String[] args) throws Exception {
        // what the first filling would otherwise count: classes, UUID's random source, Caffeine's statics
        ExpiringIdempotentRepository warm = new ExpiringIdempotentRepository(Duration.ofHours(2), 1_000);
        for (int i = 0; i < 2_000; i++) {
            warm.add(UUID.randomUUID().toString());
        }
        new RecentEvents(10, Duration.ofHours(1), 10).remember(occurrence(0, 0, "warm-up"));
        System.out.println("| Cache (bound) | Heap when full | Per entry |");
        System.out.println("| --- | --- | --- |");
        measure("delivery keys (20,000)", 20_000, () -> {
            ExpiringIdempotentRepository keys = new ExpiringIdempotentRepository(Duration.ofHours(2), 20_000);
            for (int i = 0; i < 20_000; i++) {
                keys.add(UUID.randomUUID() + "|" + (1 + i % 50) + "|" + (1_764_583_200L + i) + "." + (i % 1_000) * 1_000_000);
            }
            keys.size();
            return keys;
        });
        measure("incident keys (10,000)", 10_000, () -> {
            ExpiringIdempotentRepository keys = new ExpiringIdempotentRepository(Duration.ofMinutes(5), 10_000);
            for (int i = 0; i < 10_000; i++) {
                keys.add("[team-" + (i % 200) + ", Deployment/service-" + i + "-api, CrashLoopBackOff]");
            }
            keys.size();
            return keys;
        });
        measure("breadcrumbs (2,000 workloads x 10)", 2_000, () -> {
            RecentEvents recent = new RecentEvents(10, Duration.ofHours(1), 2_000);
            for (int w = 0; w < 2_000; w++) {
                for (int k = 0; k < 10; k++) {
                    recent.remember(occurrence(w, k, "Back-off restarting failed container app in pod service-" + w
                            + "-7d9f8b6c5-x2k4" + k + "_team-" + (w % 200)));
                }
            }
            return recent;
        });
        measure("root causes (5,000 containers, OOMKilled)", 5_000, () -> {
            RootCauses causes = new RootCauses(Duration.ofMinutes(5), 5_000);
            for (int c = 0; c < 5_000; c++) {
                Occurrence oom = occurrence(c, 0, "Container app was OOMKilled (exit code 137) with a memory limit of 512Mi");
                causes.attribute(new Occurrence(oom.event(), "OOMKilled", oom.workload(), oom.node(),
                        Optional.of(new ContainerSnapshot("app", false, "registry.example/team/service-" + c + ":1.2.3",
                                3, "OOMKilled", 137, "2026-12-01T09:59:00Z", "2026-12-01T10:00:00Z",
                                Map.of("memory", "256Mi", "cpu", "100m"), Map.of("memory", "512Mi")))));
            }
            return causes;
        });
        measure("routing metadata (20,000 workloads, kubectl-applied)", 20_000, () -> {
            MetadataLookup lookup = new MetadataLookup() {
                @Override
                public Optional<Metadata> workload(String kind, String namespace, String name) {
                    return Optional.of(new Metadata(Map.of("app", name, "team", namespace),
                            Map.of("kubectl.kubernetes.io/last-applied-configuration", LAST_APPLIED + name,
                                    "deployment.kubernetes.io/revision", "7")));
                }

                @Override
                public Optional<Metadata> namespace(String name) {
                    return Optional.of(new Metadata(Map.of("team", name), Map.of()));
                }
            };
            ProjectRouter router = new ProjectRouter(RoutingSettings.none(), lookup, Duration.ofMinutes(2));
            for (int w = 0; w < 20_000; w++) {
                router.route(occurrence(w, 0, "Back-off restarting failed container"));
            }
            return router;
        });
        boundedByIssue16();
    }

    /** The threshold aggregate's groups and the annotated DSNs' clients (issue 16's bounds). */
    private static void boundedByIssue16() throws Exception {
        measure("threshold groups (3,000 below-threshold counts)", 3_000, () -> {
            org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext();
            io.kubesentry.camel.BoundedAggregationRepository groups =
                    new io.kubesentry.camel.BoundedAggregationRepository(3_000, () -> { });
            for (int g = 0; g < 3_000; g++) {
                org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
                exchange.getMessage().setHeader("CamelKubernetesEventAction", "MODIFIED");
                exchange.getMessage().setHeader("CamelKubernetesEventTimestamp", System.currentTimeMillis());
                exchange.getMessage().setBody(io.kubesentry.threshold.CountedOccurrence.first(occurrence(g, 0,
                        "Back-off restarting failed container app in pod service-" + g + "-7d9f8b6c5-x2k40")));
                groups.add(context, "Pod/team-" + (g % 200) + "/service-" + g + "-7d9f8b6c5-x2k40|BackOff", exchange);
            }
            return groups;
        });
        measure("annotated DSN clients (32, idle)", 32, () -> {
            java.util.List<io.kubesentry.sentry.SdkSentryPublisher> clients = new java.util.ArrayList<>();
            for (int c = 0; c < 32; c++) {
                clients.add(new io.kubesentry.sentry.SdkSentryPublisher(io.kubesentry.core.SentryDsn.parse("dsn",
                        "https://key" + c + "@o" + c + ".ingest.sentry.io/" + c), "bench", "bench"));
            }
            return clients;
        });
    }

    private static Occurrence occurrence(int workload, int pod, String message) {
        String namespace = "team-" + (workload % 200);
        String name = "service-" + workload + "-7d9f8b6c5-x2k4" + pod;
        InvolvedObject object = new InvolvedObject("Pod", namespace, name, UUID.randomUUID().toString(),
                "spec.containers{app}");
        ClusterEvent event = new ClusterEvent(UUID.randomUUID().toString(), namespace, object, "BackOff", message,
                "Warning", 1 + pod, SEEN, SEEN.plusSeconds(pod), "node-" + (workload % 50), "kubelet");
        return new Occurrence(event, "BackOff", new Workload("Deployment", "service-" + workload), "node-1");
    }

    private static void measure(String cache, int entries, Supplier<Object> fill) throws InterruptedException {
        long before = liveHeap();
        FILLED.add(fill.get());
        long after = liveHeap();
        System.out.printf("| %s | %.1f MB | %,d bytes |%n", cache, (after - before) / 1e6, (after - before) / entries);
    }

    private static long liveHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
