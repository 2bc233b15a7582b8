package io.kubesentry.podstatus;

import java.util.List;
import java.util.Map;

/**
 * What {@link PodStatusReader} needs of a Pod, free of the Kubernetes client's types (the edge package
 * {@code io.kubesentry.kubernetes} fills it). Texts the API server may leave out are null, as it sent them.
 *
 * @param uid null when the Pod has none (then namespace/name identifies it)
 * @param nodeName "" when not scheduled
 * @param terminating a deletion timestamp is set
 * @param status null when the Pod has no status yet
 * @param containers the regular containers' specs, then the init containers', with a name
 * @param initContainers the names of the init containers
 */
public record PodState(String namespace, String name, String uid, String nodeName, boolean terminating,
        Status status, List<ContainerSpec> containers, List<String> initContainers) {

    /**
     * @param conditionTransitions the conditions' last transition times, those that are set
     * @param containerStatuses the init containers' statuses, then the regular ones', with a name
     */
    public record Status(String reason, String message, String startTime, List<String> conditionTransitions,
            List<ContainerStatus> containerStatuses) {
    }

    /** A container's spec: its image and resources (quantities as the API server writes them). */
    public record ContainerSpec(String name, String image, Map<String, String> requests,
            Map<String, String> limits) {
    }

    /**
     * @param current the state's termination, null when not terminated
     * @param last the last state's termination, null when none
     * @param waiting the state's wait, null when not waiting
     */
    public record ContainerStatus(String name, String image, Integer restartCount, Termination current,
            Termination last, Waiting waiting) {
    }

    public record Termination(String reason, Integer exitCode, String containerId, String startedAt,
            String finishedAt) {
    }

    public record Waiting(String reason, String message) {
    }
}
