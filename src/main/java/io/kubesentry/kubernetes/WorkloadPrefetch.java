package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesentry.filter.OccurrenceFilter;
import io.kubesentry.routing.ProjectRouter;
import io.kubesentry.workload.WorkloadResolver;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meets each Pod on the pod watch, usually long before an Event about it: remembers its owner and node, and
 * reads the owners above it and its routing labels and annotations there, on the pod watch's thread. The
 * Events of a storm then find their workloads cached instead of waiting, one at a time, on the API server.
 */
public final class WorkloadPrefetch {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadPrefetch.class);

    private final OccurrenceFilter filter;
    private final WorkloadResolver resolver;
    private final ProjectRouter router;

    public WorkloadPrefetch(OccurrenceFilter filter, WorkloadResolver resolver, ProjectRouter router) {
        this.filter = filter;
        this.resolver = resolver;
        this.router = router;
    }

    /** Anything but a Pod with a name is left to the next step, which says why it cannot read it. */
    public void learn(Object body) {
        if (!(body instanceof Pod pod) || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            return;
        }
        String namespace = Objects.requireNonNullElse(pod.getMetadata().getNamespace(), "");
        if (!filter.watches(namespace)) {
            return; // never reported: no API calls for it
        }
        try {
            resolver.remember(namespace, KubernetesObjectLookup.owned(pod));
            router.prefetch(namespace, resolver.resolve("Pod", namespace, pod.getMetadata().getName()));
        } catch (RuntimeException e) {
            // only a head start: the Pod's status is still read, and its Events look the workload up themselves
            LOG.debug("Cannot prefetch the workload of Pod {}/{}: {}", namespace, pod.getMetadata().getName(),
                    e.toString());
        }
    }
}
