package io.kubesentry.report;

import io.kubesentry.classify.Severity;
import io.kubesentry.core.Destination;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One Sentry issue event, built from a counted occurrence and independent of the SDK. */
public record IssueReport(
        Severity level,
        String message,
        List<String> fingerprint,
        Map<String, String> tags,
        Map<String, Object> extras,
        Map<String, Map<String, Object>> contexts,
        List<Crumb> breadcrumbs,
        Destination destination) {

    /** A breadcrumb: a kubectl command to run, or an earlier event of the same workload. */
    public record Crumb(Instant timestamp, String category, String message, Severity level) {
    }
}
