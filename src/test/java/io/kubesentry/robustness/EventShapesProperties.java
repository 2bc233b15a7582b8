package io.kubesentry.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kubesentry.classify.EventClassifier;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.MalformedEventException;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.workload.ObjectLookup;
import io.kubesentry.workload.ObjectLookup.OwnedObject;
import io.kubesentry.workload.WorkloadResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random Event and Pod shapes, missing and odd fields included, through the real mapping and domain steps: each
 * delivery is either refused as malformed (and only when it really lacks metadata or its object) or becomes an
 * issue and a log Sentry accepts. Nothing else is ever thrown, nothing takes long.
 */
@Label("Bad input never breaks the domain chain")
class EventShapesProperties {

    private static final int TRIES = 500;
    /** Generous for one delivery: the regex bomb took minutes before messages were capped. */
    private static final Duration PER_TRY = Duration.ofSeconds(10);

    @Property(tries = TRIES)
    @Label("events.k8s.io/v1 Events: reported with what is known, or refused as malformed")
    void eventsV1(@ForAll @Size(min = 1, max = 4)
            List<io.fabric8.kubernetes.api.model.events.v1.@From("eventsV1") Event> events) {
        DomainChain chain = new DomainChain();
        for (var event : events) {
            boolean malformed = event.getMetadata() == null || event.getRegarding() == null;
            collect(deliver(() -> chain.event(event), malformed), event.getNote());
        }
        checkCoverage();
    }

    @Property(tries = TRIES)
    @Label("core/v1 Events: reported with what is known, or refused as malformed")
    void coreV1(@ForAll @Size(min = 1, max = 4)
            List<io.fabric8.kubernetes.api.model.@From("coreV1") Event> events) {
        DomainChain chain = new DomainChain();
        for (var event : events) {
            boolean malformed = event.getMetadata() == null || event.getInvolvedObject() == null;
            collect(deliver(() -> chain.event(event), malformed), event.getMessage());
        }
        checkCoverage();
    }

    @Property(tries = TRIES)
    @Label("Pods: every container state is reported with what is known, or the pod is refused as malformed")
    void pods(@ForAll @Size(min = 1, max = 3) List<@From("pods") Pod> pods) {
        DomainChain chain = new DomainChain();
        for (Pod pod : pods) {
            List<DomainChain.Reported> reported = deliver(() -> chain.pod(pod), pod.getMetadata() == null);
            if (reported != null && (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null)) {
                assertThat(reported).as("a terminating pod's exits are no failures").isEmpty();
            }
            Statistics.label("pod").collect(reported == null ? "malformed" : reported.isEmpty() ? "nothing to report"
                    : "reported");
            if (reported != null) {
                reported.forEach(r -> Statistics.label("reason").collect(r.occurrence().reason()));
            }
        }
        Statistics.label("pod").coverage(coverage -> {
            coverage.check("reported").count(n -> n >= 50);
            coverage.check("malformed").count(n -> n > 0);
        });
        Statistics.label("reason").coverage(coverage -> {
            coverage.check("OOMKilled").count(n -> n > 0);
            coverage.check("CrashLoopBackOff").count(n -> n > 0);
            coverage.check("ImagePullBackOff").count(n -> n > 0);
            coverage.check("Evicted").count(n -> n > 0);
        });
    }

    @Property(tries = TRIES)
    @Label("Owner graphs with cycles, self-references and chains deeper than 5: resolution ends with a workload")
    void ownerGraphs(@ForAll("ownerGraphs") OwnerGraph graph, @ForAll("namespaces") String namespace) {
        WorkloadResolver resolver = new WorkloadResolver(graph, Duration.ofMinutes(1), 100);
        Workload start = graph.start();
        InvolvedObject object = new InvolvedObject(start.kind(), namespace, start.name(), "", "");
        Occurrence occurrence = new EventClassifier().classify(new ClusterEvent("uid", namespace, object, "BackOff",
                "Back-off restarting failed container", "Warning", 1, Instant.now(), Instant.now(), "", "test"));

        Workload resolved = assertTimeoutPreemptively(PER_TRY, () -> resolver.resolve(start.kind(), namespace,
                start.name()));
        Occurrence enriched = assertTimeoutPreemptively(PER_TRY, () -> resolver.enrich(occurrence));

        assertThat(resolved).isNotNull();
        assertThat(resolved.kind()).isNotBlank();
        assertThat(resolved.name()).isNotBlank();
        assertThat(enriched.workload()).isNotNull();
        assertThat(enriched.workload().qualifiedName()).isNotBlank();
        assertThat(enriched.node()).isNotNull();
        assertThat(graph.lookups()).as("lookups are bounded by the depth limit").isLessThanOrEqualTo(12);
        Statistics.label("graph").collect(graph.shape());
        Statistics.label("graph").coverage(coverage -> {
            coverage.check("deep chain").count(n -> n > 0);
            coverage.check("deep cycle").count(n -> n > 0);
            coverage.check("random").count(n -> n > 0);
        });
    }

    private static void collect(DomainChain.Reported reported, String note) {
        Statistics.label("event").collect(reported == null ? "malformed" : "reported");
        if (reported != null) {
            Statistics.label("reason").collect(reported.occurrence().reason());
            if (note != null && note.length() > ClusterEvent.MAX_MESSAGE_LENGTH) {
                Statistics.label("reason").collect("message capped");
            }
        }
    }

    /** The generators reach what matters: many events reported, some refused, long notes, image pulls. */
    private static void checkCoverage() {
        Statistics.label("event").coverage(coverage -> {
            coverage.check("reported").percentage(p -> p >= 35);
            coverage.check("malformed").count(n -> n > 0);
        });
        Statistics.label("reason").coverage(coverage -> {
            coverage.check("message capped").count(n -> n > 0);
            coverage.check("ImagePullBackOff").count(n -> n > 0);
            coverage.check("BackOff").count(n -> n > 0);
        });
    }

    /** Runs one delivery under a time limit: a report must be well formed, a refusal only for malformed input. */
    private static <T> T deliver(Supplier<T> delivery, boolean malformed) {
        T result;
        try {
            result = assertTimeoutPreemptively(PER_TRY, delivery::get);
        } catch (MalformedEventException e) {
            assertThat(malformed).as("refused as malformed although it names its object: %s", e.getMessage())
                    .isTrue();
            return null;
        }
        if (malformed) {
            fail("a delivery without metadata or object was reported instead of refused");
        }
        if (result instanceof DomainChain.Reported reported) {
            DomainChain.assertWellFormed(reported);
        } else if (result instanceof List<?> list) {
            list.forEach(item -> DomainChain.assertWellFormed((DomainChain.Reported) item));
        }
        return result;
    }

    // ---- Events ----

    @Provide
    Arbitrary<io.fabric8.kubernetes.api.model.events.v1.Event> eventsV1() {
        return Builders.withBuilder(io.fabric8.kubernetes.api.model.events.v1.EventBuilder::new)
                .use(metadata().injectNull(0.1)).in((b, v) -> b.withMetadata(v))
                .use(references().injectNull(0.1)).in((b, v) -> b.withRegarding(v))
                .use(Hostile.reasons()).in((b, v) -> b.withReason(v))
                .use(Hostile.notes()).in((b, v) -> b.withNote(v))
                .use(Hostile.eventTypes()).in((b, v) -> b.withType(v))
                .use(Hostile.counts()).in((b, v) -> b.withDeprecatedCount(v))
                .use(Hostile.timestamps()).in((b, v) -> b.withDeprecatedFirstTimestamp(v))
                .use(Hostile.timestamps()).in((b, v) -> b.withDeprecatedLastTimestamp(v))
                .use(Hostile.microTimes()).in((b, v) -> b.withEventTime(v))
                .use(Combinators.combine(Hostile.counts(), Hostile.microTimes())
                        .as((count, last) -> new io.fabric8.kubernetes.api.model.events.v1.EventSeries(count, last)))
                .withProbability(0.3).in((b, v) -> b.withSeries(v))
                .use(Hostile.mostly(Arbitraries.of("kubelet", "default-scheduler", "node-controller"),
                        Hostile.text())).in((b, v) -> b.withReportingController(v))
                .use(Hostile.text()).in((b, v) -> b.withReportingInstance(v))
                .use(sources()).withProbability(0.3).in((b, v) -> b.withDeprecatedSource(v))
                .build(b -> b.build());
    }

    @Provide
    Arbitrary<io.fabric8.kubernetes.api.model.Event> coreV1() {
        return Builders.withBuilder(io.fabric8.kubernetes.api.model.EventBuilder::new)
                .use(metadata().injectNull(0.1)).in((b, v) -> b.withMetadata(v))
                .use(references().injectNull(0.1)).in((b, v) -> b.withInvolvedObject(v))
                .use(Hostile.reasons()).in((b, v) -> b.withReason(v))
                .use(Hostile.notes()).in((b, v) -> b.withMessage(v))
                .use(Hostile.eventTypes()).in((b, v) -> b.withType(v))
                .use(Hostile.counts()).in((b, v) -> b.withCount(v))
                .use(Hostile.timestamps()).in((b, v) -> b.withFirstTimestamp(v))
                .use(Hostile.timestamps()).in((b, v) -> b.withLastTimestamp(v))
                .use(Hostile.microTimes()).in((b, v) -> b.withEventTime(v))
                .use(Combinators.combine(Hostile.counts(), Hostile.microTimes())
                        .as((count, last) -> new EventSeries(count, last)))
                .withProbability(0.3).in((b, v) -> b.withSeries(v))
                .use(Hostile.mostly(Arbitraries.of("kubelet", "default-scheduler"), Hostile.text()))
                .in((b, v) -> b.withReportingComponent(v))
                .use(Hostile.text()).in((b, v) -> b.withReportingInstance(v))
                .use(sources()).withProbability(0.5).in((b, v) -> b.withSource(v))
                .build(b -> b.build());
    }

    private static Arbitrary<ObjectMeta> metadata() {
        return Builders.withBuilder(ObjectMeta::new)
                .use(Hostile.mostly(Hostile.names().injectNull(0.1), Hostile.text())).inSetter(ObjectMeta::setName)
                .use(namespaces()).inSetter(ObjectMeta::setNamespace)
                .use(Hostile.text()).withProbability(0.8).inSetter(ObjectMeta::setUid)
                .use(Hostile.timestamps()).withProbability(0.7).inSetter(ObjectMeta::setCreationTimestamp)
                .build();
    }

    private static Arbitrary<ObjectReference> references() {
        return Builders.withBuilder(ObjectReference::new)
                .use(Hostile.kinds()).inSetter(ObjectReference::setKind)
                .use(namespaces()).withProbability(0.7).inSetter(ObjectReference::setNamespace)
                .use(Hostile.mostly(Hostile.names().injectNull(0.1), Hostile.text())).inSetter(ObjectReference::setName)
                .use(Hostile.text()).withProbability(0.5).inSetter(ObjectReference::setUid)
                .use(Hostile.fieldPaths()).inSetter(ObjectReference::setFieldPath)
                .use(Arbitraries.of("v1", "apps/v1", "💥/v0")).withProbability(0.5)
                .inSetter(ObjectReference::setApiVersion)
                .build();
    }

    private static Arbitrary<EventSource> sources() {
        return Combinators.combine(Hostile.text(), Hostile.text()).as(EventSource::new);
    }

    @Provide
    static Arbitrary<String> namespaces() {
        return Hostile.mostly(Arbitraries.of("shop", "default", "kube-system", ""), Hostile.text());
    }

    // ---- Pods ----

    @Provide
    Arbitrary<Pod> pods() {
        Arbitrary<ObjectMeta> meta = Builders.withBuilder(ObjectMeta::new)
                .use(Hostile.names().injectNull(0.1)).inSetter(ObjectMeta::setName)
                .use(namespaces()).inSetter(ObjectMeta::setNamespace)
                .use(Hostile.text()).withProbability(0.8).inSetter(ObjectMeta::setUid)
                .use(Hostile.timestamps()).withProbability(0.15).inSetter(ObjectMeta::setDeletionTimestamp)
                .build();
        Arbitrary<PodSpec> spec = Builders.withBuilder(PodSpec::new)
                .use(Hostile.text()).inSetter(PodSpec::setNodeName)
                .use(containers().list().ofMaxSize(3)).withProbability(0.9).inSetter(PodSpec::setContainers)
                .use(containers().list().ofMaxSize(2)).withProbability(0.4).inSetter(PodSpec::setInitContainers)
                .build();
        Arbitrary<PodStatus> status = Builders.withBuilder(PodStatus::new)
                .use(Hostile.mostly(Arbitraries.of("Evicted", "Running"), Hostile.text())).inSetter(PodStatus::setReason)
                .use(Hostile.notes()).withProbability(0.5).inSetter(PodStatus::setMessage)
                .use(Hostile.timestamps()).inSetter(PodStatus::setStartTime)
                .use(conditions().list().ofMaxSize(3)).withProbability(0.7).inSetter(PodStatus::setConditions)
                .use(containerStatuses().list().ofMaxSize(3)).withProbability(0.9)
                .inSetter(PodStatus::setContainerStatuses)
                .use(containerStatuses().list().ofMaxSize(2)).withProbability(0.4)
                .inSetter(PodStatus::setInitContainerStatuses)
                .build();
        return Builders.withBuilder(Pod::new)
                .use(meta).withProbability(0.95).inSetter(Pod::setMetadata)
                .use(spec).withProbability(0.9).inSetter(Pod::setSpec)
                .use(status).withProbability(0.9).inSetter(Pod::setStatus)
                .build();
    }

    private static Arbitrary<String> containerNames() {
        return Hostile.mostly(Arbitraries.of("app", "init", "sidecar"), Hostile.text());
    }

    private static Arbitrary<Container> containers() {
        Arbitrary<Map<String, Quantity>> quantities = Arbitraries.maps(
                        Arbitraries.of("memory", "cpu", "nvidia.com/gpu", "💥"),
                        // only amounts Quantity parses: its hashCode throws for others, and jqwik hashes samples
                        Arbitraries.of("256Mi", "100m", "1", "0", "-1Gi", "1e3", "0.5Ki").map(Quantity::new)
                                .injectNull(0.1))
                .ofMaxSize(3);
        Arbitrary<ResourceRequirements> resources = Builders.withBuilder(ResourceRequirements::new)
                .use(quantities).withProbability(0.7).inSetter(ResourceRequirements::setLimits)
                .use(quantities).withProbability(0.7).inSetter(ResourceRequirements::setRequests)
                .build();
        return Builders.withBuilder(Container::new)
                .use(containerNames()).inSetter(Container::setName)
                .use(Hostile.text()).withProbability(0.8).inSetter(Container::setImage)
                .use(resources).withProbability(0.7).inSetter(Container::setResources)
                .build()
                .injectNull(0.03);
    }

    private static Arbitrary<PodCondition> conditions() {
        return Builders.withBuilder(PodCondition::new)
                .use(Hostile.mostly(Arbitraries.of("Ready", "PodScheduled"), Hostile.text())).inSetter(PodCondition::setType)
                .use(Hostile.timestamps()).inSetter(PodCondition::setLastTransitionTime)
                .build()
                .injectNull(0.03);
    }

    private static Arbitrary<ContainerStatus> containerStatuses() {
        return Builders.withBuilder(ContainerStatus::new)
                .use(containerNames()).inSetter(ContainerStatus::setName)
                .use(Hostile.text()).withProbability(0.8).inSetter(ContainerStatus::setImage)
                .use(Hostile.counts()).inSetter(ContainerStatus::setRestartCount)
                .use(containerStates()).withProbability(0.85).inSetter(ContainerStatus::setState)
                .use(containerStates()).withProbability(0.6).inSetter(ContainerStatus::setLastState)
                .build()
                .injectNull(0.03);
    }

    private static Arbitrary<ContainerState> containerStates() {
        Arbitrary<ContainerStateWaiting> waiting = Builders.withBuilder(ContainerStateWaiting::new)
                .use(Hostile.mostly(Arbitraries.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
                        "ErrImageNeverPull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
                        "ContainerCreating", "PodInitializing", "Frobnicating"), Hostile.text()))
                .inSetter(ContainerStateWaiting::setReason)
                .use(Hostile.notes()).inSetter(ContainerStateWaiting::setMessage)
                .build();
        Arbitrary<ContainerStateTerminated> terminated = Builders.withBuilder(ContainerStateTerminated::new)
                .use(Hostile.mostly(Arbitraries.of("OOMKilled", "Error", "Completed", "ContainerCannotRun"), Hostile.text()))
                .inSetter(ContainerStateTerminated::setReason)
                .use(Hostile.counts()).inSetter(ContainerStateTerminated::setExitCode)
                .use(Hostile.text()).withProbability(0.7).inSetter(ContainerStateTerminated::setContainerID)
                .use(Hostile.timestamps()).inSetter(ContainerStateTerminated::setStartedAt)
                .use(Hostile.timestamps()).inSetter(ContainerStateTerminated::setFinishedAt)
                .use(Hostile.text()).withProbability(0.3).inSetter(ContainerStateTerminated::setMessage)
                .build();
        return Builders.withBuilder(ContainerState::new)
                .use(waiting).withProbability(0.5).inSetter(ContainerState::setWaiting)
                .use(terminated).withProbability(0.5).inSetter(ContainerState::setTerminated)
                .use(Hostile.timestamps().map(ContainerStateRunning::new)).withProbability(0.2)
                .inSetter(ContainerState::setRunning)
                .build();
    }

    // ---- Owner graphs ----

    /** Kinds the resolver follows and the kinds it stops at, plus odd ones. */
    private static Arbitrary<String> ownerKinds() {
        return Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.of("Pod", "ReplicaSet", "Job")),
                        Tuple.of(3, Arbitraries.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Frobnicator")),
                        Tuple.of(1, Hostile.text()))
                .injectNull(0.05);
    }

    /** A small pool of names, so references point back at objects already in the graph: cycles. */
    private static Arbitrary<String> ownerNames() {
        return Hostile.mostly(Arbitraries.of("a", "b", "c", "api-7d9f8b6c5-x2k4q", "api-7d9f8b6c5", "nightly-28472940",
                "nightly-28472940-abcde"), Hostile.text().injectNull(0.05));
    }

    /**
     * Random edges among a few names (so references point back: cycles, self-references), and now and then a chain
     * of followed kinds longer than the depth limit, open or closed into a cycle, which resolution then starts from.
     */
    @Provide
    Arbitrary<OwnerGraph> ownerGraphs() {
        Arbitrary<Workload> node = Combinators.combine(ownerKinds(), ownerNames()).as(Workload::new);
        Arbitrary<Map.Entry<Workload, Optional<Workload>>> edge = Combinators.combine(node,
                node.optional(0.8)).as(Map::entry);
        Arbitrary<List<Map.Entry<Workload, Optional<Workload>>>> randomEdges = edge.list().ofMaxSize(15);
        Arbitrary<OwnerGraph> random = Combinators.combine(randomEdges, node, Hostile.text())
                .as((edges, start, nodeName) -> new OwnerGraph("random", edges, start, nodeName));
        Arbitrary<OwnerGraph> deep = Combinators.combine(randomEdges, Arbitraries.integers().between(6, 12),
                        Arbitraries.of(true, false), Hostile.text())
                .as((edges, length, closed, nodeName) -> {
                    List<Map.Entry<Workload, Optional<Workload>>> all = new ArrayList<>();
                    List<String> kinds = List.of("Pod", "ReplicaSet", "Job");
                    for (int i = 0; i < length; i++) {
                        Workload from = new Workload(kinds.get(i % 3), "deep-" + i);
                        Workload to = i < length - 1 ? new Workload(kinds.get((i + 1) % 3), "deep-" + (i + 1))
                                : closed ? new Workload("Pod", "deep-0") : new Workload("Deployment", "deep");
                        all.add(Map.entry(from, Optional.of(to)));
                    }
                    all.addAll(edges);
                    return new OwnerGraph(closed ? "deep cycle" : "deep chain", all, new Workload("Pod", "deep-0"),
                            nodeName);
                });
        return Arbitraries.oneOf(random, deep);
    }

    /** An in-memory API server: each object's controller, answering every namespace alike; counts reads. */
    static final class OwnerGraph implements ObjectLookup {

        private final String shape;
        private final List<Map.Entry<Workload, Optional<Workload>>> edges;
        private final Workload start;
        private final Map<String, OwnedObject> objects = new HashMap<>();
        private final AtomicInteger lookups = new AtomicInteger();

        OwnerGraph(String shape, List<Map.Entry<Workload, Optional<Workload>>> edges, Workload start,
                String nodeName) {
            this.shape = shape;
            this.edges = List.copyOf(edges);
            this.start = start;
            for (var edge : edges) {
                Workload object = edge.getKey();
                objects.putIfAbsent(key(object.kind(), object.name()),
                        new OwnedObject(object.kind(), object.name(), edge.getValue(), nodeName));
            }
        }

        @Override
        public Optional<OwnedObject> find(String kind, String namespace, String name) {
            lookups.incrementAndGet();
            return Optional.ofNullable(objects.get(key(kind, name)));
        }

        String shape() {
            return shape;
        }

        Workload start() {
            return start;
        }

        int lookups() {
            return lookups.get();
        }

        private static String key(String kind, String name) {
            return kind + "\u0000/" + name;
        }

        @Override
        public String toString() {
            return "OwnerGraph[" + shape + ", start " + start + ", " + edges + "]";
        }
    }
}
