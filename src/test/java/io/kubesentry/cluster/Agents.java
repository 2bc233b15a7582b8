package io.kubesentry.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubesentry.support.AgentEndpoints;
import io.kubesentry.support.AgentJar;
import io.kubesentry.support.SentryRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/** Waits on a running agent jar that fail with what the agent said. */
final class Agents {

    private Agents() {
    }

    /** The packaged jar in {@code dir}, as {@code identity}, sending to {@code sentry}, serving on {@code endpoints}. */
    static AgentJar start(Path dir, Path kubeconfig, SentryRecorder sentry, AgentEndpoints endpoints,
            Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("SENTRY_DSN", sentry.dsn());
        all.put("KUBE_SENTRY_HTTP_PORT", String.valueOf(endpoints.port()));
        return AgentJar.start(dir, kubeconfig, all);
    }

    static void awaitReady(AgentJar agent, AgentEndpoints endpoints) {
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> endpoints.readiness() == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the agent never became ready (" + endpoints.readinessBody() + "):\n"
                    + stderr(agent), e);
        }
    }

    /** The first issue about {@code namespace} for {@code reason}, waited for. */
    static JsonNode awaitIssue(AgentJar agent, SentryRecorder sentry, String namespace, String reason) {
        try {
            return await().atMost(Duration.ofSeconds(60)).until(() -> issues(sentry, namespace, reason),
                    found -> !found.isEmpty()).get(0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + reason + " issue for " + namespace + "; issues: "
                    + sentry.issues().stream().map(i -> i.path("fingerprint").toString()).toList() + "\n"
                    + stderr(agent), e);
        }
    }

    /** The first issue whose fingerprint is {@code [namespace, workload, reason]}, waited for. */
    static JsonNode awaitWorkloadIssue(AgentJar agent, SentryRecorder sentry, String namespace, String workload,
            String reason) {
        try {
            return await().atMost(Duration.ofSeconds(120)).until(() -> issues(sentry, namespace, reason).stream()
                    .filter(issue -> workload.equals(workload(issue))).toList(),
                    found -> !found.isEmpty()).get(0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + reason + " issue for " + namespace + "/" + workload + "; issues: "
                    + sentry.issues().stream().map(i -> i.path("fingerprint").toString()).toList() + "\n"
                    + stderr(agent), e);
        }
    }

    /** The workload's name in the issue's fingerprint {@code [namespace, Kind/name, reason]}. */
    static String workload(JsonNode issue) {
        String kindAndName = issue.path("fingerprint").path(1).asText();
        return kindAndName.substring(kindAndName.indexOf('/') + 1);
    }

    /** The issues about objects in {@code namespace} (not, say, a Node's). */
    static List<JsonNode> issues(SentryRecorder sentry, String namespace) {
        return sentry.issues().stream()
                .filter(issue -> namespace.equals(issue.path("tags").path("k8s.namespace").asText()))
                .toList();
    }

    static List<JsonNode> issues(SentryRecorder sentry, String namespace, String reason) {
        return issues(sentry, namespace).stream()
                .filter(issue -> reason.equals(issue.path("tags").path("k8s.reason").asText()))
                .toList();
    }

    static String stderr(AgentJar agent) {
        try {
            return agent.stderr();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
