package io.kubesentry.core;

import java.util.Map;

/**
 * What a Pod's status said about one container when it was reported: the root-cause context of an
 * OOMKilled or crash-loop issue.
 *
 * @param lastTerminationReason {@code OOMKilled}, {@code Error}, ... of the last (or current) termination
 * @param exitCode              the exit code of that termination, or null
 * @param requests              resource requests, e.g. {@code memory=128Mi}
 * @param limits                resource limits, e.g. {@code memory=256Mi}
 */
public record ContainerSnapshot(
        String name,
        boolean init,
        String image,
        int restartCount,
        String lastTerminationReason,
        Integer exitCode,
        String startedAt,
        String finishedAt,
        Map<String, String> requests,
        Map<String, String> limits) {

    public ContainerSnapshot {
        name = KubernetesLimits.label(name); // a container name is a DNS label
        image = KubernetesLimits.cut(image, 4 * KubernetesLimits.NAME); // registry, repository, tag and digest
        lastTerminationReason = KubernetesLimits.cut(lastTerminationReason, KubernetesLimits.REASON);
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
    }
}
