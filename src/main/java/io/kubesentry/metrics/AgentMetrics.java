package io.kubesentry.metrics;

/** What the agent counts about itself; the domain calls it without knowing the metrics library. */
public interface AgentMetrics {

    /** An occurrence the filter dropped, and why: {@code reason}, {@code namespace}, {@code before-start}. */
    void dropped(String why);

    /** The same occurrence delivered again (a watch re-list): not reported twice. */
    void redelivered();

    /** An occurrence of an incident already reported within the dedup window. */
    void deduplicated();

    /** An occurrence counted toward its threshold without reaching it. */
    void belowThreshold();

    void issueSent();

    void logSent();

    /** An attempt to send to Sentry failed (5xx, 429, time-out, no connection): it is retried. */
    void sentryFailed();

    /** Sentry data the SDK had to drop, by its reason (network_error, ratelimit_backoff, queue_overflow, ...). */
    void sentryDropped(String reason, String category, long quantity);

    /** A bounded cache forgot an entry to stay within its bound ({@code threshold_groups}, {@code dsn_clients}). */
    default void forgotten(String cache) {
    }

    /** The route files changed and were {@code applied}, or {@code rejected} as a whole. */
    default void routesReloaded(String result) {
    }

    static AgentMetrics none() {
        return new AgentMetrics() {
            @Override
            public void dropped(String why) {
            }

            @Override
            public void redelivered() {
            }

            @Override
            public void deduplicated() {
            }

            @Override
            public void belowThreshold() {
            }

            @Override
            public void issueSent() {
            }

            @Override
            public void logSent() {
            }

            @Override
            public void sentryFailed() {
            }

            @Override
            public void sentryDropped(String reason, String category, long quantity) {
            }
        };
    }
}
