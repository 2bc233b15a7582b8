package io.kubesentry.report;

import io.kubesentry.classify.ImagePullFailure;
import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.classify.Reasons;
import io.kubesentry.classify.RenderedTroubleshooting;
import io.kubesentry.classify.Severity;
import io.kubesentry.classify.Troubleshooting;
import io.kubesentry.classify.TroubleshootingRenderer;
import io.kubesentry.core.ClusterEvent;
import io.kubesentry.core.ContainerLog;
import io.kubesentry.core.ContainerSnapshot;
import io.kubesentry.core.Occurrence;
import io.kubesentry.dedup.OccurrenceKeys;
import io.kubesentry.report.IssueReport.Crumb;
import io.kubesentry.routing.RoutingSettings;
import io.kubesentry.threshold.CountedOccurrence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the Sentry issue for an occurrence that reached its threshold. */
public final class IssueFactory {

    private final KnowledgeBase knowledgeBase;
    private final TroubleshootingRenderer renderer;
    private final OccurrenceKeys keys;
    private final RecentEvents recentEvents;
    private final RoutingSettings routing;

    public IssueFactory(KnowledgeBase knowledgeBase, TroubleshootingRenderer renderer, OccurrenceKeys keys,
            RecentEvents recentEvents) {
        this(knowledgeBase, renderer, keys, recentEvents, RoutingSettings.none());
    }

    public IssueFactory(KnowledgeBase knowledgeBase, TroubleshootingRenderer renderer, OccurrenceKeys keys,
            RecentEvents recentEvents, RoutingSettings routing) {
        this.routing = routing;
        this.knowledgeBase = knowledgeBase;
        this.renderer = renderer;
        this.keys = keys;
        this.recentEvents = recentEvents;
    }

    public IssueReport create(CountedOccurrence counted) {
        Occurrence occurrence = counted.occurrence();
        ClusterEvent event = occurrence.event();
        Troubleshooting entry = knowledgeBase.forReason(occurrence.reason(), event.isWarning());
        RenderedTroubleshooting help = renderer.render(entry, occurrence);

        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("event_message", occurrence.message());
        extras.put("event_count", counted.count());
        extras.put("first_seen", String.valueOf(event.firstSeen()));
        extras.put("last_seen", String.valueOf(event.lastSeen()));

        Map<String, String> tags = KubernetesAttributes.of(occurrence, routing);
        Map<String, Map<String, Object>> contexts = new LinkedHashMap<>();
        contexts.put("kubernetes", kubernetesContext(occurrence));
        Map<String, Object> troubleshooting = troubleshootingContext(help);
        if (occurrence.reason().equals(Reasons.IMAGE_PULL_BACK_OFF)) {
            ImagePullFailure failure = ImagePullFailure.ofIncident(occurrence.message(), earlierMessages(occurrence));
            troubleshooting.put("image_pull_error", failure.label());
            troubleshooting.put("fix_hint", failure.fixHint());
            tags.put("k8s.image_pull_error", failure.label());
        }
        contexts.put("troubleshooting", troubleshooting);
        occurrence.container().ifPresent(container -> {
            contexts.put("container", containerContext(container));
            if (!container.lastTerminationReason().isEmpty()) {
                tags.put("k8s.last_termination_reason", container.lastTerminationReason());
            }
            if (container.exitCode() != null) {
                tags.put("k8s.exit_code", String.valueOf(container.exitCode()));
            }
        });

        occurrence.previousLog().ifPresent(log -> contexts.put("previous_log", previousLogContext(log)));

        return new IssueReport(entry.severity(), Messages.headline(occurrence), keys.fingerprint(occurrence),
                tags, extras, contexts, breadcrumbs(occurrence, help), occurrence.target().destination());
    }

    private static Map<String, Object> previousLogContext(ContainerLog log) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("container", log.container());
        context.put("text", log.text());
        return context;
    }

    /** What the workload's earlier occurrences of the same reason said, oldest first. */
    private List<String> earlierMessages(Occurrence occurrence) {
        return recentEvents.of(occurrence).stream().filter(recent -> recent.reason().equals(occurrence.reason()))
                .map(RecentEvents.Recent::message).toList();
    }

    private static Map<String, Object> containerContext(ContainerSnapshot container) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("name", container.name());
        context.put("init_container", container.init());
        context.put("image", container.image());
        context.put("restart_count", container.restartCount());
        context.put("last_termination_reason", container.lastTerminationReason());
        if (container.exitCode() != null) {
            context.put("exit_code", container.exitCode());
        }
        context.put("started_at", container.startedAt());
        context.put("finished_at", container.finishedAt());
        context.put("requests", container.requests());
        context.put("limits", container.limits());
        context.values().removeIf(value -> value instanceof String text && text.isEmpty());
        return context;
    }

    private static Map<String, Object> kubernetesContext(Occurrence occurrence) {
        ClusterEvent event = occurrence.event();
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("namespace", occurrence.namespace());
        context.put("object", event.object().kind() + "/" + event.object().name());
        context.put("field_path", event.object().fieldPath());
        context.put("workload", occurrence.workload().qualifiedName());
        context.put("node", occurrence.node());
        context.put("event_reason", event.reason());
        context.put("event_type", event.type());
        context.put("source", event.source());
        context.put("event_uid", event.uid());
        context.values().removeIf(value -> value instanceof String text && text.isEmpty());
        return context;
    }

    private static Map<String, Object> troubleshootingContext(RenderedTroubleshooting help) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("description", help.description());
        context.put("likely_causes", help.likelyCauses());
        context.put("debug_commands", help.debugCommands());
        context.put("runbook_url", help.runbookUrl());
        return context;
    }

    private List<Crumb> breadcrumbs(Occurrence occurrence, RenderedTroubleshooting help) {
        List<Crumb> crumbs = new ArrayList<>();
        for (RecentEvents.Recent recent : recentEvents.of(occurrence)) {
            crumbs.add(new Crumb(recent.seen(), "k8s.event",
                    recent.reason() + " " + recent.object() + ": " + recent.message(), Severity.WARNING));
        }
        Instant now = Instant.now();
        for (String command : help.debugCommands()) {
            crumbs.add(new Crumb(now, "kubectl", command, Severity.INFO));
        }
        return crumbs;
    }
}
