package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kubesentry.core.MalformedEventException;
import io.kubesentry.podstatus.PodState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads fabric8's Pod into a {@link PodState}: spec and status only, no rules (those are PodStatusReader's). */
public final class PodMapper {

    private PodMapper() {
    }

    /** The watched or recorded object as a {@link PodState}; anything but a Pod with metadata is malformed. */
    public static PodState toPodState(Object body) {
        if (!(body instanceof Pod pod)) {
            throw new MalformedEventException("not a Kubernetes Pod: "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        if (pod.getMetadata() == null) {
            throw new MalformedEventException("pod has no metadata");
        }
        ObjectMeta meta = pod.getMetadata();
        List<Container> regular = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? List.of() : pod.getSpec().getContainers();
        List<Container> init = pod.getSpec() == null || pod.getSpec().getInitContainers() == null
                ? List.of() : pod.getSpec().getInitContainers();
        List<PodState.ContainerSpec> containers = Stream.concat(regular.stream(), init.stream())
                .filter(c -> c != null && c.getName() != null)
                .map(PodMapper::spec)
                .toList();
        List<String> initNames = init.stream().filter(c -> c != null && c.getName() != null)
                .map(Container::getName).toList();
        String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
        return new PodState(meta.getNamespace(), meta.getName(), meta.getUid(), node,
                meta.getDeletionTimestamp() != null, status(pod.getStatus()), containers, initNames);
    }

    private static PodState.Status status(PodStatus status) {
        if (status == null) {
            return null;
        }
        List<String> transitions = status.getConditions() == null ? List.of()
                : status.getConditions().stream().filter(Objects::nonNull).map(PodCondition::getLastTransitionTime)
                        .filter(Objects::nonNull).toList();
        List<PodState.ContainerStatus> statuses = Stream.concat(
                status.getInitContainerStatuses() == null ? Stream.empty() : status.getInitContainerStatuses().stream(),
                status.getContainerStatuses() == null ? Stream.empty() : status.getContainerStatuses().stream())
                .filter(s -> s != null && s.getName() != null)
                .map(s -> new PodState.ContainerStatus(s.getName(), s.getImage(), s.getRestartCount(),
                        termination(s.getState() == null ? null : s.getState().getTerminated()),
                        termination(s.getLastState() == null ? null : s.getLastState().getTerminated()),
                        waiting(s.getState())))
                .toList();
        return new PodState.Status(status.getReason(), status.getMessage(), status.getStartTime(), transitions,
                statuses);
    }

    private static PodState.Termination termination(ContainerStateTerminated terminated) {
        return terminated == null ? null : new PodState.Termination(terminated.getReason(), terminated.getExitCode(),
                terminated.getContainerID(), terminated.getStartedAt(), terminated.getFinishedAt());
    }

    private static PodState.Waiting waiting(ContainerState state) {
        ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
        return waiting == null ? null : new PodState.Waiting(waiting.getReason(), waiting.getMessage());
    }

    private static PodState.ContainerSpec spec(Container container) {
        ResourceRequirements requirements = container.getResources();
        return requirements == null
                ? new PodState.ContainerSpec(container.getName(), container.getImage(), Map.of(), Map.of())
                : new PodState.ContainerSpec(container.getName(), container.getImage(),
                        quantities(requirements.getRequests()), quantities(requirements.getLimits()));
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
