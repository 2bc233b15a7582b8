package io.kubesentry.podstatus;

import static io.kubesentry.classify.Reasons.*;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kubesentry.event.ClusterEvent;
import io.kubesentry.event.ContainerSnapshot;
import io.kubesentry.event.InvolvedObject;
import io.kubesentry.event.MalformedEventException;
import io.kubesentry.event.Occurrence;
import io.kubesentry.event.Timestamps;
import io.kubesentry.workload.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    public List<Occurrence> occurrences(Pod pod) {
        if (pod == null || pod.getMetadata() == null) {
            throw new MalformedEventException("pod has no metadata");
        }
        ObjectMeta meta = pod.getMetadata();
        if (meta.getDeletionTimestamp() != null || pod.getStatus() == null) {
            return List.of(); // terminating (deleted, scaled down): its exits are no failures
        }
        PodView view = new PodView(pod);
        List<Occurrence> found = new ArrayList<>();
        if (EVICTED.equals(pod.getStatus().getReason())) {
            found.add(view.occurrence(EVICTED, "", view.uid() + "/" + EVICTED, 1,
                    view.lastTransition(), orEmpty(pod.getStatus().getMessage()), Optional.empty()));
        }
        view.statuses().forEach(status -> found.addAll(containerOccurrences(view, status)));
        return found;
    }

    private List<Occurrence> containerOccurrences(PodView view, ContainerStatus status) {
        List<Occurrence> found = new ArrayList<>();
        String name = status.getName();
        ContainerStateTerminated current = status.getState() == null ? null : status.getState().getTerminated();
        ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
        ContainerStateWaiting waiting = status.getState() == null ? null : status.getState().getWaiting();
        String waitingReason = waiting == null ? "" : orEmpty(waiting.getReason());
        ContainerStateTerminated termination = current != null ? current : last;
        ContainerSnapshot snapshot = view.snapshot(status, termination);
        String identity = view.uid() + "/" + name + "/";

        if (termination != null && OOM_KILLED.equals(termination.getReason())) {
            String message = "Container " + name + " was OOMKilled"
                    + (termination.getExitCode() == null ? "" : " (exit code " + termination.getExitCode() + ")")
                    + view.memoryLimit(name).map(limit -> " with a memory limit of " + limit).orElse("")
                    + (waitingReason.equals(CRASH_LOOP_BACK_OFF) && !orEmpty(waiting.getMessage()).isBlank()
                            ? "; " + waiting.getMessage() : "");
            String terminationId = Objects.requireNonNullElse(termination.getContainerID(),
                    orEmpty(termination.getFinishedAt()));
            found.add(view.occurrence(OOM_KILLED, name, identity + OOM_KILLED + "/" + terminationId, 1,
                    timestamp(termination.getFinishedAt()), message, Optional.of(snapshot)));
        } else if (waitingReason.equals(CRASH_LOOP_BACK_OFF)) {
            found.add(view.occurrence(CRASH_LOOP_BACK_OFF, name, identity + CRASH_LOOP_BACK_OFF,
                    restarts(status), last == null ? view.lastTransition() : timestamp(last.getFinishedAt()),
                    orEmpty(waiting.getMessage()), Optional.of(snapshot)));
        }
        if (IMAGE_PULL_STATES.contains(waitingReason)) {
            found.add(view.occurrence(IMAGE_PULL_BACK_OFF, name, identity + IMAGE_PULL_BACK_OFF, 1,
                    view.lastTransition(), waitingReason + ": " + orEmpty(waiting.getMessage()),
                    Optional.of(snapshot)));
        } else if (CONFIG_STATES.contains(waitingReason)) {
            found.add(view.occurrence(waitingReason, name, identity + waitingReason, 1, view.lastTransition(),
                    orEmpty(waiting.getMessage()), Optional.of(snapshot)));
        }
        return found;
    }

    private static int restarts(ContainerStatus status) {
        return status.getRestartCount() == null ? 0 : status.getRestartCount();
    }

    static Instant timestamp(String text) {
        return Timestamps.parse(text);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** One pod's spec and status, read once per delivery. */
    private static final class PodView {

        private final Pod pod;
        private final Map<String, Container> containers;
        private final Set<String> initContainers;

        PodView(Pod pod) {
            this.pod = pod;
            List<Container> regular = pod.getSpec() == null || pod.getSpec().getContainers() == null
                    ? List.of() : pod.getSpec().getContainers();
            List<Container> init = pod.getSpec() == null || pod.getSpec().getInitContainers() == null
                    ? List.of() : pod.getSpec().getInitContainers();
            this.containers = Stream.concat(regular.stream(), init.stream())
                    .filter(c -> c != null && c.getName() != null)
                    .collect(Collectors.toMap(Container::getName, Function.identity(), (a, b) -> a));
            this.initContainers = init.stream().filter(Objects::nonNull).map(Container::getName)
                    .collect(Collectors.toSet());
        }

        String uid() {
            return Objects.requireNonNullElse(pod.getMetadata().getUid(),
                    pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        }

        Stream<ContainerStatus> statuses() {
            var status = pod.getStatus();
            return Stream.concat(
                    status.getInitContainerStatuses() == null ? Stream.empty() : status.getInitContainerStatuses().stream(),
                    status.getContainerStatuses() == null ? Stream.empty() : status.getContainerStatuses().stream())
                    .filter(s -> s != null && s.getName() != null);
        }

        /** When the pod's conditions last changed: the best time a waiting state offers. */
        Instant lastTransition() {
            List<PodCondition> conditions = pod.getStatus().getConditions() == null
                    ? List.of() : pod.getStatus().getConditions();
            return conditions.stream().filter(Objects::nonNull).map(c -> timestamp(c.getLastTransitionTime()))
                    .filter(Objects::nonNull)
                    .max(Instant::compareTo)
                    .orElse(timestamp(pod.getStatus().getStartTime()));
        }

        Optional<String> memoryLimit(String container) {
            return Optional.ofNullable(resources(containers.get(container)).limits().get("memory"));
        }

        ContainerSnapshot snapshot(ContainerStatus status, ContainerStateTerminated termination) {
            Container spec = containers.get(status.getName());
            Resources resources = resources(spec);
            return new ContainerSnapshot(status.getName(), initContainers.contains(status.getName()),
                    Objects.requireNonNullElse(status.getImage(), spec == null ? "" : orEmpty(spec.getImage())),
                    restarts(status),
                    termination == null ? "" : orEmpty(termination.getReason()),
                    termination == null ? null : termination.getExitCode(),
                    termination == null ? "" : orEmpty(termination.getStartedAt()),
                    termination == null ? "" : orEmpty(termination.getFinishedAt()),
                    resources.requests(), resources.limits());
        }

        Occurrence occurrence(String reason, String container, String uid, long count, Instant seen,
                String message, Optional<ContainerSnapshot> snapshot) {
            ObjectMeta meta = pod.getMetadata();
            String fieldPath = container.isEmpty() ? ""
                    : (initContainers.contains(container) ? "spec.initContainers{" : "spec.containers{") + container + "}";
            String node = pod.getSpec() == null ? "" : orEmpty(pod.getSpec().getNodeName());
            InvolvedObject object = new InvolvedObject("Pod", meta.getNamespace(), meta.getName(), meta.getUid(),
                    fieldPath);
            ClusterEvent event = new ClusterEvent(uid, meta.getNamespace(), object, reason, message, "Warning",
                    count, seen, seen, node, SOURCE);
            return new Occurrence(event, reason, Workload.of(object), node, snapshot);
        }

        private static Resources resources(Container container) {
            ResourceRequirements requirements = container == null ? null : container.getResources();
            if (requirements == null) {
                return new Resources(Map.of(), Map.of());
            }
            return new Resources(quantities(requirements.getRequests()), quantities(requirements.getLimits()));
        }

        private static Map<String, String> quantities(Map<String, Quantity> quantities) {
            Map<String, String> text = new TreeMap<>();
            if (quantities != null) {
                quantities.forEach((name, quantity) -> {
                    if (name != null && quantity != null) {
                        text.put(name, quantity.toString());
                    }
                });
            }
            return text;
        }
    }

    private record Resources(Map<String, String> requests, Map<String, String> limits) {
    }
}
