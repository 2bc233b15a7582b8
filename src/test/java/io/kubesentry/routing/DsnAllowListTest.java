package io.kubesentry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Where an annotated DSN may send data")
class DsnAllowListTest {

    private final DsnAllowList allowList = DsnAllowList.of(
            List.of(URI.create("https://key@Sentry.Corp.example/1"), URI.create("http://key@sentry.local/2")),
            List.of("*.Sentry.Team.example", "http://sentry.sentry.svc", "http://*.plain.example", "self.example"));

    private boolean allowed(String dsn) {
        return allowList.refusal(URI.create(dsn)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://k@sentry.io/1", "https://k@o1.ingest.sentry.io/2", "https://k@o1.ingest.de.sentry.io/2",
            "https://k@a.b.ingest.us.sentry.io/2", "https://k@sentry.corp.example/7", "https://k@SENTRY.CORP.EXAMPLE/7",
            "https://k@eu.sentry.team.example/7", "https://k@x.eu.sentry.team.example/7", "http://k@sentry.sentry.svc/7",
            "https://k@sentry.sentry.svc/7", "http://k@sentry.local/3", "https://k@sentry.local/3",
            "https://k@self.example/1", "https://k@a.plain.example/1"})
    @DisplayName("allowed")
    void allowedDsn(String dsn) {
        assertThat(allowed(dsn)).as(dsn).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://k@o1.ingest.sentry.io/2", "https://k@10.0.0.12:9200/1", "https://k@evilsentry.io/1",
            "https://k@sentry.team.example/1", "https://k@ingest.sentry.io/1", "https://k@sentry.io.evil.example/1",
            "http://k@a.plain.example/1", "http://k@sentry.corp.example/1", "https://k@sub.self.example/1",
            "ftp://k@sentry.io/1"})
    @DisplayName("refused")
    void refusedDsn(String dsn) {
        assertThat(allowed(dsn)).as(dsn).isFalse();
    }

    @Test
    @DisplayName("the refusal says why")
    void reasons() {
        assertThat(allowList.refusal(URI.create("http://k@o1.ingest.sentry.io/2"))).contains("plain http to "
                + "o1.ingest.sentry.io (only https, or a host listed as http://o1.ingest.sentry.io in "
                + "KUBE_SENTRY_DSN_ALLOWED_HOSTS)");
        assertThat(allowList.refusal(URI.create("ftp://k@sentry.io/1"))).contains("scheme ftp (only https)");
        assertThat(allowList.refusal(URI.create("https://k@evilsentry.io/1"))).contains("host evilsentry.io is not "
                + "allowed (Sentry's SaaS ingest, the configured DSNs' hosts and KUBE_SENTRY_DSN_ALLOWED_HOSTS are)");
    }
}
