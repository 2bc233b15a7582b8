package io.kubesentry.report;

import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.core.Occurrence;
import io.kubesentry.routing.RoutingSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the Sentry log of an occurrence: every matching event is searchable, alerting or not. */
public final class LogFactory {

    private final KnowledgeBase knowledgeBase;
    private final RoutingSettings routing;

    public LogFactory(KnowledgeBase knowledgeBase) {
        this(knowledgeBase, RoutingSettings.none());
    }

    public LogFactory(KnowledgeBase knowledgeBase, RoutingSettings routing) {
        this.knowledgeBase = knowledgeBase;
        this.routing = routing;
    }

    public LogRecord create(Occurrence occurrence) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        KubernetesAttributes.putInto(attributes, occurrence, routing);
        attributes.put("k8s.event_count", occurrence.event().count());
        attributes.put("k8s.event_reason", occurrence.event().reason());
        attributes.put("k8s.event_type", occurrence.event().type());
        var severity = knowledgeBase.forReason(occurrence.reason(), occurrence.event().isWarning()).severity();
        return new LogRecord(severity, Messages.headline(occurrence), attributes, occurrence.target().destination());
    }
}
