package io.kubesentry.report;

import io.kubesentry.classify.Severity;
import io.kubesentry.core.Destination;
import java.util.Map;

/** One Sentry log: the body and its searchable attributes ({@code k8s.*}). */
public record LogRecord(Severity level, String body, Map<String, Object> attributes, Destination destination) {
}
