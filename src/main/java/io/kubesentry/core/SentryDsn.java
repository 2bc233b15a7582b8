package io.kubesentry.core;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A Sentry DSN, checked for the parts the SDK needs. {@link #toString()} hides the public key, so a DSN
 * that ends up in a log line never leaks in full.
 */
public record SentryDsn(String value, URI uri) {

    static final String FORMAT = "expected https://<public-key>@<host>/<project-id>";

    public static SentryDsn parse(String variable, String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(variable, "not a valid URL; " + FORMAT);
        }
        boolean httpScheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        String path = uri.getPath() == null ? "" : uri.getPath();
        String projectId = path.substring(path.lastIndexOf('/') + 1);
        if (!httpScheme || uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isBlank()
                || projectId.isBlank()) {
            throw new ConfigException(variable, "'" + redact(text) + "' is not a Sentry DSN; " + FORMAT);
        }
        return new SentryDsn(text.trim(), uri);
    }

    /** The DSN with its key replaced by asterisks: safe for logs. */
    public String redacted() {
        return redact(value);
    }

    @Override
    public String toString() {
        return redacted();
    }

    private static String redact(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return text.length() > 12 ? text.substring(0, 12) + "..." : text;
        }
        // whatever precedes the '@' may be a key, with or without a scheme ("key@host/1", "//key@host/1")
        int scheme = text.indexOf("://");
        String prefix = scheme >= 0 && scheme < at ? text.substring(0, scheme + 3) : "";
        return prefix + "****" + text.substring(at);
    }
}
