package io.kubesentry.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;

/** Logs a bad annotation once per object and annotation, not on every occurrence it routes. */
final class WarnOnce {

    private final Logger log;
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1_000).build();

    WarnOnce(Logger log) {
        this.log = log;
    }

    void warn(String key, String message) {
        if (warned.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
            log.warn(message);
        }
    }
}
