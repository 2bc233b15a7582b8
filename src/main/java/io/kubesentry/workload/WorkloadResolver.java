package io.kubesentry.workload;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import io.kubesentry.workload.ObjectLookup.OwnedObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the workload an object belongs to by following controller owner references: Pod → ReplicaSet →
 * Deployment, Pod → StatefulSet / DaemonSet, Pod → Job → CronJob; a bare pod is its own workload. Lookups
 * are cached, so a storm from one workload costs a handful of API calls, not one per event. When an object
 * cannot be read (deleted, no permission, replay without a cluster) the names the controllers generate are
 * read instead: {@code api-7d9f8b6c5-x2k4q} is a pod of Deployment {@code api}.
 */
public final class WorkloadResolver {

    private static final int MAX_DEPTH = 5;
    private static final Set<String> FOLLOWED_KINDS = Set.of("Pod", "ReplicaSet", "Job");
    /** Kubernetes' SafeEncodeString alphabet; before 1.8 the pod-template-hash was a decimal number. */
    private static final String HASH = "(?:[bcdfghjklmnpqrstvwxz2456789]{6,10}|\\d{8,10})";
    private static final Pattern DEPLOYMENT_POD = Pattern.compile("(.+)-" + HASH + "-[a-z0-9]{5}");
    private static final Pattern REPLICA_SET = Pattern.compile("(.+)-" + HASH);
    private static final Pattern CRON_JOB = Pattern.compile("(.+)-\\d{8,10}");
    /**
     * A pod of a CronJob's Job: {@code <cronjob>-<scheduled minute since the epoch, 8 digits>-<5 random>}.
     * Checked before {@link #DEPLOYMENT_POD}, whose pre-1.8 decimal hash would otherwise claim it.
     */
    private static final Pattern CRON_JOB_POD = Pattern.compile("(.+-\\d{8})-[a-z0-9]{5}");

    private final ObjectLookup lookup;
    private final Cache<String, Optional<OwnedObject>> cache;

    public WorkloadResolver(ObjectLookup lookup, Duration cacheTtl, long cacheSize) {
        this.lookup = lookup;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    /** The occurrence with its workload and, for a pod, the node it runs on. */
    public Occurrence enrich(Occurrence occurrence) {
        InvolvedObject object = occurrence.object();
        if (object.isNode()) {
            return occurrence.withWorkload(new Workload("Node", object.name()), object.name());
        }
        String namespace = object.namespace().isEmpty() ? occurrence.namespace() : object.namespace();
        Optional<OwnedObject> found = find(object.kind(), namespace, object.name());
        String node = found.map(OwnedObject::nodeName).orElse("");
        return occurrence.withWorkload(resolve(object.kind(), namespace, object.name()), node);
    }

    public Workload resolve(String kind, String namespace, String name) {
        Workload current = new Workload(kind, name);
        Set<String> visited = new HashSet<>();
        for (int depth = 0; depth < MAX_DEPTH && FOLLOWED_KINDS.contains(current.kind()); depth++) {
            if (!visited.add(current.qualifiedName())) {
                break; // an owner reference cycle: stop where we are
            }
            Optional<OwnedObject> found = find(current.kind(), namespace, current.name());
            Optional<Workload> owner = found.isPresent()
                    ? found.get().controller()
                    : guessOwner(current);
            if (owner.isEmpty()) {
                break;
            }
            current = owner.get();
        }
        return current;
    }

    /**
     * Takes what a watch delivered as the current state of an object, so resolving it needs no API call: the
     * pod watch hands over every Pod, and its node can change after it was first looked up.
     */
    public void remember(String namespace, OwnedObject object) {
        if (FOLLOWED_KINDS.contains(object.kind())) {
            cache.put(key(object.kind(), namespace, object.name()), Optional.of(object));
        }
    }

    private Optional<OwnedObject> find(String kind, String namespace, String name) {
        if (!FOLLOWED_KINDS.contains(kind)) {
            return Optional.empty();
        }
        return cache.get(key(kind, namespace, name), key -> lookup.find(kind, namespace, name));
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "|" + namespace + "|" + name;
    }

    /** The owner implied by the names Deployment, ReplicaSet and CronJob controllers generate. */
    static Optional<Workload> guessOwner(Workload object) {
        Matcher m;
        switch (object.kind()) {
            case "Pod" -> {
                m = CRON_JOB_POD.matcher(object.name());
                if (m.matches()) {
                    return Optional.of(new Workload("Job", m.group(1)));
                }
                m = DEPLOYMENT_POD.matcher(object.name());
                return m.matches() ? Optional.of(new Workload("Deployment", m.group(1))) : Optional.empty();
            }
            case "ReplicaSet" -> {
                m = REPLICA_SET.matcher(object.name());
                return m.matches() ? Optional.of(new Workload("Deployment", m.group(1))) : Optional.empty();
            }
            case "Job" -> {
                m = CRON_JOB.matcher(object.name());
                return m.matches() ? Optional.of(new Workload("CronJob", m.group(1))) : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
