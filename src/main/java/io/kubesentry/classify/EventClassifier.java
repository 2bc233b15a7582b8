package io.kubesentry.classify;

import static io.kubesentry.classify.ClassificationRule.rule;
import static io.kubesentry.classify.Reasons.*;

import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.Occurrence;
import io.kubesentry.core.Workload;
import java.util.List;

/**
 * Names what the kubelet and scheduler really write with the reasons users configure. An image pull failure,
 * for instance, arrives as {@code Failed} "Failed to pull image", {@code Failed} "Error: ErrImagePull",
 * {@code Failed} "Error: ImagePullBackOff" and a Normal {@code BackOff} "Back-off pulling image": all four
 * are one ImagePullBackOff incident. Events no rule names keep their own reason.
 */
public final class EventClassifier {

    private static final String IMAGE_ERRORS = "ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName"
            + "|RegistryUnavailable|SignatureValidationFailed";

    /** First match wins; checked in this order. */
    static final List<ClassificationRule> RULES = List.of(
            rule("Failed", "^(Failed to pull image|Failed to apply default image tag|Failed to inspect image"
                    + "|Error: (" + IMAGE_ERRORS + ")\\b)", IMAGE_PULL_BACK_OFF),
            rule("Failed", "^Error: (CreateContainerConfigError|configmaps? .* not found|secrets? .* not found"
                    + "|couldn't find key|container has runAsNonRoot|failed to sync (configmap|secret) cache"
                    + "|failed to prepare subPath)", CREATE_CONTAINER_CONFIG_ERROR),
            rule("Failed", "^Error: ", CREATE_CONTAINER_ERROR),
            rule("BackOff", "^Back-off pulling image", IMAGE_PULL_BACK_OFF),
            rule("BackOff", "^Back-off restarting failed container", BACK_OFF),
            // The kubelet writes "Failed to apply default image tag" / "Failed to inspect image" as InspectFailed.
            rule("InspectFailed", "", IMAGE_PULL_BACK_OFF),
            rule("ErrImagePull", "", IMAGE_PULL_BACK_OFF),
            rule("ErrImageNeverPull", "", IMAGE_PULL_BACK_OFF),
            rule("InvalidImageName", "", IMAGE_PULL_BACK_OFF),
            rule("OOMKilling", "", OOM_KILLED),
            rule("PodOOMKilling", "", OOM_KILLED), // node-problem-detector rules renamed by some sites
            rule("SystemOOM", "", OOM_KILLED));

    public Occurrence classify(ClusterEvent event) {
        return new Occurrence(event, reasonOf(event), Workload.of(event.object()), event.reportingNode());
    }

    public String reasonOf(ClusterEvent event) {
        return RULES.stream()
                .filter(rule -> rule.matches(event.reason(), event.message()))
                .map(ClassificationRule::reason)
                .findFirst()
                .orElse(event.reason());
    }
}
