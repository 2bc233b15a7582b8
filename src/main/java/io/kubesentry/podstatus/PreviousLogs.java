package io.kubesentry.podstatus;

import java.util.Optional;

/** The last lines a crashed container wrote before it died ({@code kubectl logs --previous}). */
public interface PreviousLogs {

    Optional<String> tail(String namespace, String pod, String container);

    /** KUBE_SENTRY_ATTACH_LOGS off: nothing is read. */
    static PreviousLogs none() {
        return (namespace, pod, container) -> Optional.empty();
    }
}
