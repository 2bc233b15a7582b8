package io.kubesentry.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubesentry.podstatus.PreviousLogs;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@code pods/log?previous=true}, bounded in lines and bytes. Needs RBAC {@code get} on {@code pods/log}. */
public final class KubernetesPreviousLogs implements PreviousLogs {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesPreviousLogs.class);
    static final int MAX_CHARS = 16 * 1024;

    private final KubernetesClient client;
    private final int lines;

    public KubernetesPreviousLogs(KubernetesClient client, int lines) {
        this.client = client;
        this.lines = lines;
    }

    /** The client offers a byte limit or "previous container", not both: the tail is cut here. */
    static String bounded(String log) {
        return log.length() <= MAX_CHARS ? log : log.substring(log.length() - MAX_CHARS);
    }

    @Override
    public Optional<String> tail(String namespace, String pod, String container) {
        try {
            String log = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
                    .terminated().tailingLines(lines).getLog();
            return Optional.ofNullable(log).filter(text -> !text.isBlank()).map(KubernetesPreviousLogs::bounded);
        } catch (KubernetesClientException e) {
            LOG.warn("Cannot read the previous log of {}/{} container {} (HTTP {}): {}", namespace, pod, container,
                    e.getCode(), e.getMessage());
            return Optional.empty();
        }
    }
}
