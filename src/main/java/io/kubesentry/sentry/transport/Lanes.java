package io.kubesentry.sentry.transport;

import java.util.List;
import java.util.Set;

/** Issues and logs wait in two lanes, so that logs Sentry limits never hold back issues. */
final class Lanes {

    private final Lane issues = new Lane("issues", Set.of("error", "default", "transaction", "session", "attachment"));
    private final Lane logs = new Lane("logs", Set.of("log_item", "log"));

    Lane of(EnvelopeContents contents) {
        return contents.isLog() ? logs : issues;
    }

    List<Lane> both() {
        return List.of(issues, logs);
    }

    /** Stops the lanes an {@code X-Sentry-Rate-Limits} header names, each for as long as it says. */
    void limit(String header) {
        for (RateLimits.Limit limit : RateLimits.parse(header).limits()) {
            for (Lane lane : both()) {
                if (lane.limitedBy(limit.categories())) {
                    lane.block(limit.duration(), limit.why());
                }
            }
        }
    }
}
