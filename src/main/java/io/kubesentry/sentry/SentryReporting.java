package io.kubesentry.sentry;

import io.kubesentry.core.Occurrence;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.report.IssueFactory;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogFactory;
import io.kubesentry.threshold.CountedOccurrence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sentry steps of the routes: every reported occurrence becomes a Sentry log, and an occurrence that
 * reached its threshold a Sentry issue.
 */
public final class SentryReporting {

    private static final Logger LOG = LoggerFactory.getLogger(SentryReporting.class);

    private final IssueFactory issues;
    private final LogFactory logs;
    private final SentryPublisher publisher;
    private final AgentMetrics metrics;

    public SentryReporting(IssueFactory issues, LogFactory logs, SentryPublisher publisher, AgentMetrics metrics) {
        this.issues = issues;
        this.logs = logs;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** @return the issue, as published */
    public IssueReport sendIssue(CountedOccurrence counted) {
        IssueReport issue = issues.create(counted);
        LOG.info("Sentry issue {} (count {})", issue.fingerprint(), counted.count());
        publisher.publish(issue);
        metrics.issueSent();
        return issue;
    }

    public void sendLog(Occurrence occurrence) {
        publisher.publish(logs.create(occurrence));
        metrics.logSent();
    }
}
