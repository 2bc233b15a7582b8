package io.kubesentry.podstatus;

import static io.kubesentry.classify.Reasons.*;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerSnapshot;
import io.kubesentry.core.InvolvedObject;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Timestamps;
import io.kubesentry.core.Workload;
import io.kubesentry.podstatus.PodState.ContainerSpec;
import io.kubesentry.podstatus.PodState.ContainerStatus;
import io.kubesentry.podstatus.PodState.Termination;
import io.kubesentry.podstatus.PodState.Waiting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads what Events never say from a Pod's status: OOMKilled and CrashLoopBackOff live in container states,
 * not in Event reasons. Each observation gets an identity that repeats when the same state is seen again
 * (a Pod is MODIFIED on every status change), so the delivery dedup reports it once: an OOM kill once per
 * terminated container, a crash loop once per restart count.
 */
public final class PodStatusReader {

    /** The {@code source} of the occurrences read from Pod status. */
    public static final String SOURCE = "pod-status";
    private static final Set<String> IMAGE_PULL_STATES =
            Set.of("ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName");
    private static final Set<String> CONFIG_STATES = Set.of(CREATE_CONTAINER_CONFIG_ERROR, CREATE_CONTAINER_ERROR);

    public List<Occurrence> occurrences(PodState pod) {
        if (pod.terminating() || pod.status() == null) {
            return List.of(); // terminating (deleted, scaled down): its exits are no failures
        }
        PodView view = new PodView(pod);
        List<Occurrence> found = new ArrayList<>();
        if (EVICTED.equals(pod.status().reason())) {
            found.add(view.occurrence(EVICTED, "", view.uid() + "/" + EVICTED, 1,
                    view.lastTransition(), orEmpty(pod.status().message()), Optional.empty()));
        }
        pod.status().containerStatuses().forEach(status -> found.addAll(containerOccurrences(view, status)));
        return found;
    }

    private List<Occurrence> containerOccurrences(PodView view, ContainerStatus status) {
        List<Occurrence> found = new ArrayList<>();
        String name = status.name();
        Termination current = status.current();
        Termination last = status.last();
        Waiting waiting = status.waiting();
        String waitingReason = waiting == null ? "" : orEmpty(waiting.reason());
        Termination termination = current != null ? current : last;
        ContainerSnapshot snapshot = view.snapshot(status, termination);
        String identity = view.uid() + "/" + name + "/";

        if (termination != null && OOM_KILLED.equals(termination.reason())) {
            String message = "Container " + name + " was OOMKilled"
                    + (termination.exitCode() == null ? "" : " (exit code " + termination.exitCode() + ")")
                    + view.memoryLimit(name).map(limit -> " with a memory limit of " + limit).orElse("")
                    + (waitingReason.equals(CRASH_LOOP_BACK_OFF) && !orEmpty(waiting.message()).isBlank()
                            ? "; " + waiting.message() : "");
            String terminationId = Objects.requireNonNullElse(termination.containerId(),
                    orEmpty(termination.finishedAt()));
            found.add(view.occurrence(OOM_KILLED, name, identity + OOM_KILLED + "/" + terminationId, 1,
                    timestamp(termination.finishedAt()), message, Optional.of(snapshot)));
        } else if (waitingReason.equals(CRASH_LOOP_BACK_OFF)) {
            found.add(view.occurrence(CRASH_LOOP_BACK_OFF, name, identity + CRASH_LOOP_BACK_OFF,
                    restarts(status), last == null ? view.lastTransition() : timestamp(last.finishedAt()),
                    orEmpty(waiting.message()), Optional.of(snapshot)));
        }
        if (IMAGE_PULL_STATES.contains(waitingReason)) {
            found.add(view.occurrence(IMAGE_PULL_BACK_OFF, name, identity + IMAGE_PULL_BACK_OFF, 1,
                    view.lastTransition(), waitingReason + ": " + orEmpty(waiting.message()),
                    Optional.of(snapshot)));
        } else if (CONFIG_STATES.contains(waitingReason)) {
            found.add(view.occurrence(waitingReason, name, identity + waitingReason, 1, view.lastTransition(),
                    orEmpty(waiting.message()), Optional.of(snapshot)));
        }
        return found;
    }

    private static int restarts(ContainerStatus status) {
        return status.restartCount() == null ? 0 : status.restartCount();
    }

    static Instant timestamp(String text) {
        return Timestamps.parse(text);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** One pod's spec and status, read once per delivery. */
    private static final class PodView {

        private final PodState pod;
        private final Map<String, ContainerSpec> containers;
        private final Set<String> initContainers;

        PodView(PodState pod) {
            this.pod = pod;
            this.containers = pod.containers().stream()
                    .collect(Collectors.toMap(ContainerSpec::name, Function.identity(), (a, b) -> a));
            this.initContainers = Set.copyOf(pod.initContainers());
        }

        String uid() {
            return Objects.requireNonNullElse(pod.uid(), pod.namespace() + "/" + pod.name());
        }

        /** When the pod's conditions last changed: the best time a waiting state offers. */
        Instant lastTransition() {
            return pod.status().conditionTransitions().stream().map(PodStatusReader::timestamp)
                    .filter(Objects::nonNull)
                    .max(Instant::compareTo)
                    .orElse(timestamp(pod.status().startTime()));
        }

        Optional<String> memoryLimit(String container) {
            ContainerSpec spec = containers.get(container);
            return spec == null ? Optional.empty() : Optional.ofNullable(spec.limits().get("memory"));
        }

        ContainerSnapshot snapshot(ContainerStatus status, Termination termination) {
            ContainerSpec spec = containers.get(status.name());
            return new ContainerSnapshot(status.name(), initContainers.contains(status.name()),
                    Objects.requireNonNullElse(status.image(), spec == null ? "" : orEmpty(spec.image())),
                    restarts(status),
                    termination == null ? "" : orEmpty(termination.reason()),
                    termination == null ? null : termination.exitCode(),
                    termination == null ? "" : orEmpty(termination.startedAt()),
                    termination == null ? "" : orEmpty(termination.finishedAt()),
                    spec == null ? Map.of() : spec.requests(), spec == null ? Map.of() : spec.limits());
        }

        Occurrence occurrence(String reason, String container, String uid, long count, Instant seen,
                String message, Optional<ContainerSnapshot> snapshot) {
            String fieldPath = container.isEmpty() ? ""
                    : (initContainers.contains(container) ? "spec.initContainers{" : "spec.containers{") + container + "}";
            String node = pod.nodeName();
            InvolvedObject object = new InvolvedObject("Pod", pod.namespace(), pod.name(), pod.uid(), fieldPath);
            ClusterEvent event = new ClusterEvent(uid, pod.namespace(), object, reason, message, "Warning",
                    count, seen, seen, node, SOURCE);
            return new Occurrence(event, reason, Workload.of(object), node, snapshot);
        }
    }
}
