package io.kubesentry.sentry;

import io.kubesentry.report.IssueFactory;
import io.kubesentry.report.IssueReport;
import io.kubesentry.metrics.AgentMetrics;
import io.kubesentry.threshold.CountedOccurrence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The issue step of the routes: an occurrence that reached its threshold becomes a Sentry issue. */
public final class SentryIssues {

    private static final Logger LOG = LoggerFactory.getLogger(SentryIssues.class);

    private final IssueFactory factory;
    private final SentryPublisher publisher;
    private final AgentMetrics metrics;

    public SentryIssues(IssueFactory factory, SentryPublisher publisher, AgentMetrics metrics) {
        this.factory = factory;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** @return the issue, as published */
    public IssueReport send(CountedOccurrence counted) {
        IssueReport issue = factory.create(counted);
        LOG.info("Sentry issue {} (count {})", issue.fingerprint(), counted.count());
        publisher.publish(issue);
        metrics.issueSent();
        return issue;
    }
}
