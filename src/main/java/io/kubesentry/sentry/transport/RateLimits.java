package io.kubesentry.sentry.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code X-Sentry-Rate-Limits: <seconds>:<categories>:<scope>[:<reason>...], ...}: each limit stops the data of
 * its categories (all data when it names none) for its seconds. Limits that cannot be read are left out.
 */
record RateLimits(List<Limit> limits) {

    /** @param categories empty: all data */
    record Limit(Duration duration, Set<String> categories, String scope) {

        /** e.g. {@code Sentry limits log_item (organization)}. */
        String why() {
            return "Sentry limits " + (categories.isEmpty() ? "all data" : String.join(", ", categories))
                    + (scope.isBlank() ? "" : " (" + scope + ")");
        }
    }

    static RateLimits parse(String header) {
        List<Limit> limits = new ArrayList<>();
        for (String limit : header.split(",")) {
            String[] parts = limit.trim().split(":", -1);
            if (parts.length < 2 || parts[0].isBlank()) {
                continue;
            }
            Duration wait;
            try {
                wait = Duration.ofMillis((long) (Double.parseDouble(parts[0].trim()) * 1000));
            } catch (NumberFormatException e) {
                continue;
            }
            Set<String> categories = parts[1].isBlank() ? Set.of() : Set.of(parts[1].trim().split(";"));
            limits.add(new Limit(wait, categories, parts.length > 2 ? parts[2] : ""));
        }
        return new RateLimits(List.copyOf(limits));
    }
}
