package io.kubesentry.classify;

import static io.kubesentry.classify.ImagePullFailure.NOT_FOUND;
import static io.kubesentry.classify.ImagePullFailure.RATE_LIMITED;
import static io.kubesentry.classify.ImagePullFailure.TIMEOUT;
import static io.kubesentry.classify.ImagePullFailure.UNAUTHORIZED;
import static io.kubesentry.classify.ImagePullFailure.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

@DisplayName("ImagePullFailure reads why an image could not be pulled from the kubelet's message")
class ImagePullFailureTest {

    /** kubernetes/kubernetes#63393: the Warning Failed event of a docker-shim node. */
    private static final String DOCKER_NOT_FOUND = "Failed to pull image "
            + "\"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\": rpc error: code = Unknown desc = "
            + "Error: image youben/data-transfer:1.0-SNAPSHOT not found";

    /**
     * kubernetes-sigs/node-feature-discovery#1229: a containerd node that cannot reach the registry. The stored
     * copy stops at "dial tcp 108.17"; the address and the ": i/o timeout" ending are as the issue shows them.
     */
    private static final String CONTAINERD_TIMEOUT = "Failed to pull image "
            + "\"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": rpc error: code = Unknown desc = failed to pull "
            + "and unpack image \"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": failed to resolve reference "
            + "\"registry.k8s.io/nfd/node-feature-discovery:v0.12.1\": failed to do request: Head "
            + "\"https://europe-west2-docker.pkg.dev/v2/k8s-artifacts-prod/images/nfd/node-feature-discovery/manifests"
            + "/v0.12.1\": dial tcp 108.177.15.82:443: i/o timeout";

    static Stream<Arguments> kubeletMessages() {
        return Stream.of(
                // not found: the image or tag does not exist
                arguments("Error: image youben/data-transfer:1.0-SNAPSHOT not found", NOT_FOUND),
                arguments(DOCKER_NOT_FOUND, NOT_FOUND),
                arguments("rpc error: code = Unknown desc = Error: image youben/data-transfer:1.0-SNAPSHOT not found",
                        NOT_FOUND),
                arguments("failed to pull and unpack image \"docker.io/library/nginx:nope\": failed to resolve "
                        + "reference \"docker.io/library/nginx:nope\": docker.io/library/nginx:nope: not found",
                        NOT_FOUND),
                arguments("rpc error: code = Unknown desc = Error response from daemon: manifest for nginx:nope "
                        + "not found: manifest unknown: manifest unknown", NOT_FOUND),
                arguments("rpc error: code = Unknown desc = reading manifest nope in quay.io/acme/app: "
                        + "manifest unknown: manifest unknown", NOT_FOUND),
                arguments("Failed to apply default image tag \"nginx:Latest\": couldn't parse image reference "
                        + "\"nginx:Latest\": invalid reference format: repository name must be lowercase", NOT_FOUND),
                // unauthorized: the registry refused the (missing) credentials
                arguments("rpc error: code = Unknown desc = Error response from daemon: pull access denied for "
                        + "private/app, repository does not exist or may require 'docker login': denied: requested "
                        + "access to the resource is denied", UNAUTHORIZED),
                arguments("unexpected status code [manifests latest]: 401 Unauthorized", UNAUTHORIZED),
                arguments("failed to pull and unpack image \"ghcr.io/acme/app:1.0\": failed to resolve reference "
                        + "\"ghcr.io/acme/app:1.0\": failed to authorize: failed to fetch anonymous token: "
                        + "unexpected status: 401 Unauthorized", UNAUTHORIZED),
                arguments("failed to pull and unpack image \"gcr.io/acme/app:1.0\": failed to resolve reference "
                        + "\"gcr.io/acme/app:1.0\": unexpected status code [manifests 1.0]: 403 Forbidden",
                        UNAUTHORIZED),
                arguments("rpc error: code = Unknown desc = Error response from daemon: Get "
                        + "\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/app/manifests/1.0\": "
                        + "no basic auth credentials", UNAUTHORIZED),
                // rate-limited: Docker Hub's pull limits
                arguments("toomanyrequests: You have reached your pull rate limit.", RATE_LIMITED),
                arguments("failed to pull and unpack image \"docker.io/library/nginx:1.25\": failed to copy: "
                        + "httpReadSeeker: failed open: unexpected status code "
                        + "https://registry-1.docker.io/v2/library/nginx/manifests/sha256:4c0fdaa8b6341bfdeca5f18f7837462c"
                        + "80cff90527ee35ef185571e1c327beac: 429 Too Many Requests - Server message: toomanyrequests: "
                        + "You have reached your pull rate limit. You may increase the limit by authenticating and "
                        + "upgrading: https://www.docker.com/increase-rate-limit", RATE_LIMITED),
                // timeout: the node cannot reach the registry
                arguments("dial tcp 108.177.15.82:443: i/o timeout", TIMEOUT),
                arguments(CONTAINERD_TIMEOUT, TIMEOUT),
                arguments("net/http: TLS handshake timeout", TIMEOUT),
                arguments("rpc error: code = Unknown desc = Error response from daemon: Get "
                        + "\"https://registry-1.docker.io/v2/\": net/http: request canceled while waiting for "
                        + "connection (Client.Timeout exceeded while awaiting headers)", TIMEOUT),
                arguments("failed to do request: Head \"https://registry.internal/v2/app/manifests/1.0\": dial tcp: "
                        + "lookup registry.internal on 10.96.0.10:53: no such host", TIMEOUT),
                // unknown: nothing in the message says why
                arguments("Back-off pulling image \"x\"", UNKNOWN),
                arguments("Back-off pulling image \"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\"", UNKNOWN),
                arguments("Error: ErrImagePull", UNKNOWN),
                arguments("Error: ImagePullBackOff", UNKNOWN),
                arguments("Container image \"acme/app:1.0\" is not present with pull policy of Never", UNKNOWN));
    }

    @ParameterizedTest(name = "[{index}] {1} <- {0}")
    @MethodSource("kubeletMessages")
    @DisplayName("classifies real kubelet, docker and containerd pull errors")
    void classifiesRealMessages(String message, ImagePullFailure expected) {
        // When
        ImagePullFailure failure = ImagePullFailure.of(message);

        // Then
        assertThat(failure).isEqualTo(expected);
    }

    @Test
    @DisplayName("reads the pod-status form '<waiting reason>: <waiting message>' like the event's")
    void readsPodStatusMessages() {
        // Given: what PodStatusReader makes of a container's waiting state
        String errImagePull = "ErrImagePull: rpc error: code = Unknown desc = Error: image "
                + "youben/data-transfer:1.0-SNAPSHOT not found";
        String backOff = "ImagePullBackOff: Back-off pulling image "
                + "\"192.168.1.225:5000/youben/data-transfer:1.0-SNAPSHOT\"";

        // When / Then
        assertThat(ImagePullFailure.of(errImagePull)).isEqualTo(NOT_FOUND);
        assertThat(ImagePullFailure.of(backOff)).isEqualTo(UNKNOWN);
    }

    @Test
    @DisplayName("labels each kind in kebab case for the k8s.image_pull_error tag")
    void labels() {
        // When / Then
        assertThat(Stream.of(ImagePullFailure.values()).map(ImagePullFailure::label))
                .containsExactly("rate-limited", "unauthorized", "not-found", "timeout", "unknown");
    }

    @Test
    @DisplayName("gives every kind a fix hint, the not-found one about the name and tag")
    void fixHints() {
        // When / Then
        assertThat(ImagePullFailure.values()).allSatisfy(kind -> assertThat(kind.fixHint()).isNotBlank());
        assertThat(NOT_FOUND.fixHint()).contains("tag");
        assertThat(UNAUTHORIZED.fixHint()).contains("imagePullSecrets");
    }

    @Nested
    @DisplayName("An incident's cause, from its messages")
    class Incident {

        @Test
        @DisplayName("'Error: ImagePullBackOff' takes the cause an earlier message of the incident gave")
        void backOffTakesAnEarlierCause() {
            // Given: the kubelet's pull error, then its back-off
            List<String> earlier = List.of(DOCKER_NOT_FOUND, "Back-off pulling image \"x\"");

            // When / Then
            assertThat(ImagePullFailure.ofIncident("Error: ImagePullBackOff", earlier)).isEqualTo(NOT_FOUND);
        }

        @Test
        @DisplayName("the most recent telling message wins: the latest, else the newest earlier one")
        void mostRecentTellingWins() {
            // Given: the registry timed out first, then said the tag does not exist
            List<String> earlier = List.of(CONTAINERD_TIMEOUT, DOCKER_NOT_FOUND);

            // When / Then
            assertThat(ImagePullFailure.ofIncident("Error: ImagePullBackOff", earlier)).isEqualTo(NOT_FOUND);
            assertThat(ImagePullFailure.ofIncident("toomanyrequests: You have reached your pull rate limit.", earlier))
                    .isEqualTo(RATE_LIMITED);
        }

        @Test
        @DisplayName("without a telling message, or without earlier ones, the cause is unknown")
        void nothingTelling() {
            // When / Then
            assertThat(ImagePullFailure.ofIncident("Error: ImagePullBackOff", List.of("Error: ErrImagePull")))
                    .isEqualTo(UNKNOWN);
            assertThat(ImagePullFailure.ofIncident("Error: ImagePullBackOff", List.of())).isEqualTo(UNKNOWN);
        }
    }

    @Nested
    @DisplayName("Edge cases")
    class EdgeCases {

        @ParameterizedTest
        @NullAndEmptySource
        @DisplayName("an absent or empty message is unknown")
        void noMessage(String message) {
            // When / Then
            assertThat(ImagePullFailure.of(message)).isEqualTo(UNKNOWN);
        }

        @Test
        @DisplayName("Docker's 'pull access denied ... repository does not exist or may require docker login' is"
                + " unauthorized, and its hint says to check the name too")
        void pullAccessDeniedIsUnauthorized() {
            // Given: Docker Hub answers this for a private repository without credentials AND for a repository
            // that does not exist, so as not to reveal which private repositories exist. The registry's verdict
            // is "denied" (HTTP 401 on the token), so the kind is unauthorized; the hint names both fixes.
            String message = "pull access denied for private/app, repository does not exist or may require "
                    + "'docker login': denied: requested access to the resource is denied";

            // When
            ImagePullFailure failure = ImagePullFailure.of(message);

            // Then
            assertThat(failure).isEqualTo(UNAUTHORIZED);
            assertThat(failure.fixHint()).contains("imagePullSecrets").contains("image name");
        }

        @Test
        @DisplayName("a 429 status is rate-limited, not a timeout or anything else the message mentions")
        void rateLimitWinsOverOtherWords() {
            // Given
            String message = "unexpected status code [manifests 1.0]: 429 Too Many Requests";

            // When / Then
            assertThat(ImagePullFailure.of(message)).isEqualTo(RATE_LIMITED);
        }

        @Test
        @DisplayName("a timeout whose quoted registry URL holds a digest with '404' in it is still a timeout")
        void digestWithFourOhFourIsNoNotFound() {
            // Given: digests are hex, and a fair share of them contain "404"
            String message = "failed to pull and unpack image \"docker.io/acme/app@sha256:9b7a4d404c1e2f3a4b5c6d7e8f90"
                    + "a1b2c3d4e5f60718293a4b5c6d7e8f9012\": failed to resolve reference "
                    + "\"docker.io/acme/app@sha256:9b7a4d404c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012\": "
                    + "failed to do request: Head \"https://registry-1.docker.io/v2/acme/app/manifests/sha256:9b7a4d404"
                    + "c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012\": dial tcp 54.236.113.205:443: i/o timeout";

            // When / Then
            assertThat(ImagePullFailure.of(message)).isEqualTo(TIMEOUT);
        }

        @ParameterizedTest(name = "[{index}] {1} <- {0}")
        @MethodSource("io.kubesentry.classify.ImagePullFailureTest#quotedNames")
        @DisplayName("words inside a quoted image reference or URL do not decide the kind")
        void quotedImageNamesDoNotDecide(String message, ImagePullFailure expected) {
            // When / Then
            assertThat(ImagePullFailure.of(message)).isEqualTo(expected);
        }
    }

    static Stream<Arguments> quotedNames() {
        return Stream.of(
                arguments("Back-off pulling image \"ghcr.io/acme/app:pr-404\"", UNKNOWN),
                arguments("Back-off pulling image \"registry.example.com/platform/timeout-watchdog:2.1\"", UNKNOWN),
                arguments("failed to pull and unpack image \"registry.example.com/platform/timeout-watchdog:2.1\": "
                        + "failed to resolve reference \"registry.example.com/platform/timeout-watchdog:2.1\": "
                        + "registry.example.com/platform/timeout-watchdog:2.1: not found", NOT_FOUND),
                arguments("failed to pull and unpack image \"ghcr.io/acme/app:pr-404\": failed to resolve reference "
                        + "\"ghcr.io/acme/app:pr-404\": failed to do request: Head "
                        + "\"https://ghcr.io/v2/acme/app/manifests/pr-404\": dial tcp 140.82.121.34:443: i/o timeout",
                        TIMEOUT));
    }
}
