package io.kubesentry.sentry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubesentry.report.IssueReport;
import io.kubesentry.report.LogRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The dry run: prints each issue and log it would send to Sentry as one JSON object per line. */
public final class ConsoleSentryPublisher implements SentryPublisher {

    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;

    public ConsoleSentryPublisher(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(IssueReport issue) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sentry", "issue");
        line.put("project", issue.destination().project());
        line.put("level", issue.level().name().toLowerCase(Locale.ROOT));
        line.put("message", issue.message());
        line.put("fingerprint", issue.fingerprint());
        line.put("tags", issue.tags());
        line.put("extra", issue.extras());
        line.put("contexts", issue.contexts());
        line.put("breadcrumbs", issue.breadcrumbs().stream()
                .map(crumb -> Map.of("category", crumb.category(), "message", crumb.message()))
                .toList());
        print(line);
    }

    @Override
    public void publish(LogRecord log) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sentry", "log");
        line.put("project", log.destination().project());
        line.put("level", log.level().name().toLowerCase(Locale.ROOT));
        line.put("body", log.body());
        line.put("attributes", log.attributes());
        print(line);
    }

    private synchronized void print(Map<String, Object> line) {
        try {
            out.println(json.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + line.get("sentry"), e);
        }
    }

    @Override
    public void flush(Duration timeout) {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

}
