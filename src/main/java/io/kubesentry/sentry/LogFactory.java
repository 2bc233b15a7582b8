package io.kubesentry.sentry;

import io.kubesentry.classify.KnowledgeBase;
import io.kubesentry.event.Occurrence;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the Sentry log of an occurrence: every matching event is searchable, alerting or not. */
public final class LogFactory {

    private final KnowledgeBase knowledgeBase;

    public LogFactory(KnowledgeBase knowledgeBase) {
        this.knowledgeBase = knowledgeBase;
    }

    public LogRecord create(Occurrence occurrence) {
        Map<String, Object> attributes = new LinkedHashMap<>(KubernetesAttributes.of(occurrence));
        attributes.put("k8s.event_count", occurrence.event().count());
        attributes.put("k8s.event_reason", occurrence.event().reason());
        attributes.put("k8s.event_type", occurrence.event().type());
        var severity = knowledgeBase.forReason(occurrence.reason(), occurrence.event().isWarning()).severity();
        return new LogRecord(severity, Messages.headline(occurrence), attributes);
    }
}
