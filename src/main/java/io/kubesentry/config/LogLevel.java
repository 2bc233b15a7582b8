package io.kubesentry.config;

import io.kubesentry.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The program's own log verbosity, KUBE_SENTRY_LOG_LEVEL. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    static LogLevel parse(String variable, String text) {
        String wanted = text.trim().toUpperCase(Locale.ROOT);
        if (wanted.equals("WARNING")) {
            return WARN;
        }
        return Arrays.stream(values())
                .filter(level -> level.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new ConfigException(variable, "unknown log level '" + text + "'; expected one of "
                        + Arrays.stream(values()).map(l -> l.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))));
    }

    public String slf4jName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
