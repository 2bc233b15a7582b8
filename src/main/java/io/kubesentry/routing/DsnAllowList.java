package io.kubesentry.routing;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a {@code kube-sentry-events/dsn} annotation may send data: anyone who can annotate a workload could
 * otherwise make the agent POST to any internal address. An entry is a host ({@code sentry.example.com}), a
 * wildcard for its subdomains ({@code *.ingest.sentry.io}), or {@code http://host} for a host reached over
 * plain HTTP; anything else must be HTTPS.
 *
 * @param entries the hosts and patterns, lower case
 */
public record DsnAllowList(Set<String> entries) {

    /** Sentry's SaaS ingest: always allowed over HTTPS. */
    public static final List<String> SENTRY_SAAS = List.of("sentry.io", "*.ingest.sentry.io", "*.ingest.us.sentry.io",
            "*.ingest.de.sentry.io");

    public DsnAllowList {
        entries = Set.copyOf(new TreeSet<>(entries));
    }

    /** Sentry's SaaS, the hosts of the configured DSNs (with their scheme when it is http) and the extra entries. */
    public static DsnAllowList of(Collection<URI> configured, Collection<String> extra) {
        Set<String> entries = new TreeSet<>();
        SENTRY_SAAS.forEach(entries::add);
        for (URI dsn : configured) {
            String host = dsn.getHost().toLowerCase(Locale.ROOT);
            entries.add("http".equals(dsn.getScheme()) ? "http://" + host : host);
        }
        extra.forEach(entry -> entries.add(entry.toLowerCase(Locale.ROOT)));
        return new DsnAllowList(entries);
    }

    /** Why the DSN is refused, or empty when it is allowed. */
    public Optional<String> refusal(URI dsn) {
        String host = dsn.getHost() == null ? "" : dsn.getHost().toLowerCase(Locale.ROOT);
        if ("http".equals(dsn.getScheme())) {
            return entries.contains("http://" + host) ? Optional.empty()
                    : Optional.of("plain http to " + host + " (only https, or a host listed as http://" + host
                            + " in KUBE_SENTRY_DSN_ALLOWED_HOSTS)");
        }
        if (!"https".equals(dsn.getScheme())) {
            return Optional.of("scheme " + dsn.getScheme() + " (only https)");
        }
        for (String entry : entries) {
            String allowed = entry.startsWith("http://") ? entry.substring("http://".length()) : entry;
            if (allowed.equals(host) || allowed.startsWith("*.") && host.endsWith(allowed.substring(1))) {
                return Optional.empty();
            }
        }
        return Optional.of("host " + host + " is not allowed (Sentry's SaaS ingest, the configured DSNs' hosts and "
                + "KUBE_SENTRY_DSN_ALLOWED_HOSTS are)");
    }
}
