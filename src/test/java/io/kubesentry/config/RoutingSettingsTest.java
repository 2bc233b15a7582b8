package io.kubesentry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubesentry.core.ConfigException;
import io.kubesentry.routing.RoutingSettings;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Multi-team settings: projects, routing table, cluster and tags")
class RoutingSettingsTest {

    private static final String DSN_A = "https://keya@o1.ingest.example.invalid/2";
    private static final String DSN_B = "https://keyb@o1.ingest.example.invalid/3";

    @Test
    @DisplayName("reads projects with their DSNs, the routing table in order, cluster and tags")
    void reads() {
        // Given
        Map<String, String> env = Map.of(
                "KUBE_SENTRY_PROJECTS", "team-a, team-b",
                "SENTRY_DSN_TEAM_A", DSN_A,
                "SENTRY_DSN_TEAM_B", DSN_B,
                "KUBE_SENTRY_ROUTING", "namespace:payments-* -> team-a; selector:team=checkout,tier=web -> team-b",
                "KUBE_SENTRY_CLUSTER", "prod-eu",
                "KUBE_SENTRY_CLUSTER_IN_FINGERPRINT", "true",
                "KUBE_SENTRY_TAGS", "region=eu,owner=platform",
                "KUBE_SENTRY_LABEL_TAGS", "app.kubernetes.io/name,team");

        // When
        RoutingSettings routing = SettingsParser.parse(env).routing();

        // Then
        assertThat(routing.projects()).containsOnlyKeys("team-a", "team-b");
        assertThat(routing.projects().get("team-a").value()).isEqualTo(DSN_A);
        assertThat(routing.rules()).hasSize(2);
        assertThat(routing.rules().get(0).matches("payments-eu", Map.of())).isTrue();
        assertThat(routing.rules().get(0).matches("payment", Map.of())).isFalse();
        assertThat(routing.rules().get(1).matches("shop", Map.of("team", "checkout", "tier", "web"))).isTrue();
        assertThat(routing.rules().get(1).matches("shop", Map.of("team", "checkout"))).isFalse();
        assertThat(routing.cluster()).contains("prod-eu");
        assertThat(routing.clusterInFingerprint()).isTrue();
        assertThat(routing.globalTags()).containsOnly(Map.entry("region", "eu"), Map.entry("owner", "platform"));
        assertThat(routing.labelTags()).containsExactly("app.kubernetes.io/name", "team");
    }

    @Test
    @DisplayName("none of it set: one project, no rules, no cluster")
    void defaults() {
        RoutingSettings routing = SettingsParser.parse(Map.of()).routing();
        assertThat(routing).isEqualTo(RoutingSettings.none());
    }

    @Nested
    @DisplayName("a misconfigured routing table stops start-up with a message naming the variable")
    class Misconfigured {

        @ParameterizedTest(name = "{0}={1} → {2}")
        @CsvSource(delimiter = '|', value = {
            "KUBE_SENTRY_ROUTING|namespace:shop -> team-z|KUBE_SENTRY_ROUTING: 'namespace:shop -> team-z' names project 'team-z'",
            "KUBE_SENTRY_ROUTING|namespace:shop team-a|KUBE_SENTRY_ROUTING: 'namespace:shop team-a' has no single '->'",
            "KUBE_SENTRY_ROUTING|owner:shop -> team-a|KUBE_SENTRY_ROUTING: 'owner:shop' is neither",
            "KUBE_SENTRY_ROUTING|selector:team -> team-a|KUBE_SENTRY_ROUTING: 'team' is not label=value",
            "KUBE_SENTRY_ROUTING|namespace:Shop_1 -> team-a|KUBE_SENTRY_ROUTING: 'Shop_1' is not a namespace pattern",
            "KUBE_SENTRY_TAGS|region|KUBE_SENTRY_TAGS: 'region' is not key=value",
            "KUBE_SENTRY_LABEL_TAGS|bad label|KUBE_SENTRY_LABEL_TAGS: 'bad label' is not a label key",
            "KUBE_SENTRY_CLUSTER|prod eu|KUBE_SENTRY_CLUSTER: 'prod eu' is not a name"})
        void rejected(String variable, String value, String message) {
            Map<String, String> env = Map.of("KUBE_SENTRY_PROJECTS", "team-a", "SENTRY_DSN_TEAM_A", DSN_A,
                    variable, value);
            assertThatThrownBy(() -> SettingsParser.parse(env))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(message);
        }

        @Test
        @DisplayName("a project without its DSN variable names that variable")
        void missingDsn() {
            assertThatThrownBy(() -> SettingsParser.parse(Map.of("KUBE_SENTRY_PROJECTS", "team-a")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("SENTRY_DSN_TEAM_A: not set");
        }

        @Test
        @DisplayName("a malformed project DSN names its variable and hides its key")
        void badDsn() {
            assertThatThrownBy(() -> SettingsParser.parse(Map.of("KUBE_SENTRY_PROJECTS", "team-a",
                    "SENTRY_DSN_TEAM_A", "ftp://secretkey@host/1")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("SENTRY_DSN_TEAM_A:")
                    .hasMessageNotContaining("secretkey");
        }
    }
}
