package io.kubesentry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.config.SettingsParser;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The start-up line")
class StartupSummaryTest {

    @Test
    @DisplayName("says where it watches, what, with which thresholds and window, and where it sends, keys hidden")
    void saysWhatItWillDo() {
        var settings = SettingsParser.parse(Map.of("SENTRY_DSN", "https://secretkey@o1.ingest.sentry.io/42",
                "KUBE_SENTRY_NAMESPACES", "shop,payments", "KUBE_SENTRY_EVENTS", "OOMKilled,BackOff",
                "KUBE_SENTRY_DEDUP_WINDOW", "10m"));

        String line = StartupSummary.line(settings, "https://10.0.0.1:6443/", Optional.of("prod"));

        assertThat(line).isEqualTo("Will watch https://10.0.0.1:6443/ (context prod): Events and Pods in namespaces "
                + "payments,shop except kube-system; reasons BackOff x3,OOMKilled; one issue per incident per 10m; "
                + "Sentry " + settings.sentryDsn().orElseThrow().redacted());
        assertThat(line).doesNotContain("secretkey");
    }

    @Test
    @DisplayName("in the cluster and without a DSN: in-cluster, dry run")
    void dryRunInCluster() {
        String line = StartupSummary.line(SettingsParser.parse(Map.of()), "https://10.96.0.1/", Optional.empty());

        assertThat(line).contains("(in-cluster)", "all namespaces except kube-system", "dry run");
    }
}
