package io.kubesentry.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@code kube-sentry-events/dsn} annotation may send data: anyone who can annotate a workload could
 * otherwise make the agent POST to any internal address. An entry is a host ({@code sentry.example.com}), a
 * wildcard for its subdomains ({@code *.ingest.sentry.io}), or {@code http://host} for a host reached over
 * plain HTTP; anything else must be HTTPS. The entries are kept as sets to look a host up in, not to scan.
 *
 * @param hosts            hosts allowed over HTTPS, lower case
 * @param subdomainsOf     wildcards' domains with their leading dot ({@code .ingest.sentry.io}): their
 *                         subdomains are allowed over HTTPS
 * @param plainHttpHosts   hosts also allowed over plain HTTP
 */
public record DsnAllowList(Set<String> hosts, Set<String> subdomainsOf, Set<String> plainHttpHosts) {

    /** Sentry's SaaS ingest: always allowed over HTTPS. */
    public static final List<String> SENTRY_SAAS = List.of("sentry.io", "*.ingest.sentry.io", "*.ingest.us.sentry.io",
            "*.ingest.de.sentry.io");

    private static final String HTTP = "http://";

    public DsnAllowList {
        hosts = Set.copyOf(hosts);
        subdomainsOf = Set.copyOf(subdomainsOf);
        plainHttpHosts = Set.copyOf(plainHttpHosts);
    }

    /** Sentry's SaaS, the hosts of the configured DSNs (with their scheme when it is http) and the extra entries. */
    public static DsnAllowList of(Collection<URI> configured, Collection<String> extra) {
        Set<String> hosts = new HashSet<>();
        Set<String> subdomainsOf = new HashSet<>();
        Set<String> plainHttpHosts = new HashSet<>();
        List<String> entries = new ArrayList<>(SENTRY_SAAS);
        for (URI dsn : configured) {
            String host = dsn.getHost().toLowerCase(Locale.ROOT);
            entries.add("http".equals(dsn.getScheme()) ? HTTP + host : host);
        }
        extra.forEach(entry -> entries.add(entry.toLowerCase(Locale.ROOT)));
        for (String entry : entries) {
            boolean plainHttp = entry.startsWith(HTTP);
            String allowed = plainHttp ? entry.substring(HTTP.length()) : entry;
            if (allowed.startsWith("*.")) {
                subdomainsOf.add(allowed.substring(1));
            } else {
                hosts.add(allowed);
                if (plainHttp) {
                    plainHttpHosts.add(allowed);
                }
            }
        }
        return new DsnAllowList(hosts, subdomainsOf, plainHttpHosts);
    }

    /** Why the DSN is refused, or empty when it is allowed. */
    public Optional<String> refusal(URI dsn) {
        String host = dsn.getHost() == null ? "" : dsn.getHost().toLowerCase(Locale.ROOT);
        if ("http".equals(dsn.getScheme())) {
            return plainHttpHosts.contains(host) ? Optional.empty()
                    : Optional.of("plain http to " + host + " (only https, or a host listed as http://" + host
                            + " in KUBE_SENTRY_DSN_ALLOWED_HOSTS)");
        }
        if (!"https".equals(dsn.getScheme())) {
            return Optional.of("scheme " + dsn.getScheme() + " (only https)");
        }
        if (hosts.contains(host) || isSubdomainOfAWildcard(host)) {
            return Optional.empty();
        }
        return Optional.of("host " + host + " is not allowed (Sentry's SaaS ingest, the configured DSNs' hosts and "
                + "KUBE_SENTRY_DSN_ALLOWED_HOSTS are)");
    }

    /** Looks up each parent domain of the host, {@code .b.c} and {@code .c} of {@code a.b.c}. */
    private boolean isSubdomainOfAWildcard(String host) {
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if (subdomainsOf.contains(host.substring(dot))) {
                return true;
            }
        }
        return false;
    }
}
