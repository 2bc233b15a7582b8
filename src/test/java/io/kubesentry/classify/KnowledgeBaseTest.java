package io.kubesentry.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KnowledgeBaseTest {

    private final KnowledgeBase knowledgeBase = KnowledgeBase.standard();

    static Stream<String> shippedReasons() {
        return Stream.concat(Reasons.DEFAULT_CRITICAL.stream(),
                Stream.of(Reasons.CREATE_CONTAINER_CONFIG_ERROR, Reasons.CREATE_CONTAINER_ERROR));
    }

    @Nested
    @DisplayName("completeness")
    class Completeness {

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.kubesentry.classify.KnowledgeBaseTest#shippedReasons")
        @DisplayName("every shipped reason has a complete entry")
        void everyReasonHasACompleteEntry(String reason) {
            // When
            Troubleshooting entry = knowledgeBase.find(reason).orElseThrow();

            // Then
            assertThat(entry.reason()).isEqualTo(reason);
            assertThat(entry.description()).isNotBlank().endsWith(".");
            assertThat(entry.likelyCauses()).hasSizeBetween(3, 5).allSatisfy(cause -> assertThat(cause).isNotBlank());
            assertThat(entry.debugCommands()).hasSizeBetween(3, 6)
                    .allSatisfy(command -> assertThat(command).startsWith("kubectl "));
            assertThat(entry.runbookUrl()).startsWith("https://kubernetes.io/docs/");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.kubesentry.classify.KnowledgeBaseTest#shippedReasons")
        @DisplayName("debug commands use only the renderer's placeholders")
        void commandsUseKnownPlaceholders(String reason) {
            // Given
            Troubleshooting entry = knowledgeBase.find(reason).orElseThrow();

            // When
            List<String> used = entry.debugCommands().stream()
                    .flatMap(command -> TroubleshootingRenderer.placeholdersIn(command).stream())
                    .toList();

            // Then
            assertThat(used).isNotEmpty().isSubsetOf(TroubleshootingRenderer.PLACEHOLDERS);
        }

        @Test
        @DisplayName("the shipped reasons are exactly the default critical set plus the container creation errors")
        void reasonsAreTheShippedSet() {
            assertThat(knowledgeBase.reasons()).containsExactlyInAnyOrderElementsOf(shippedReasons().toList());
        }

        @Test
        @DisplayName("a reason is looked up by its exact name")
        void lookupIsExact() {
            assertThat(knowledgeBase.find("oomkilled")).isEmpty();
            assertThat(knowledgeBase.find(null)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @DisplayName("severity: Unhealthy is a warning, every other shipped reason an error")
    @CsvSource({
            "OOMKilled, ERROR",
            "CrashLoopBackOff, ERROR",
            "FailedScheduling, ERROR",
            "Evicted, ERROR",
            "FailedMount, ERROR",
            "Unhealthy, WARNING",
            "BackOff, ERROR",
            "ImagePullBackOff, ERROR",
            "CreateContainerConfigError, ERROR",
            "CreateContainerError, ERROR"})
    void severities(String reason, Severity expected) {
        assertThat(knowledgeBase.find(reason)).get().extracting(Troubleshooting::severity).isEqualTo(expected);
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        @DisplayName("an unknown placeholder is rejected, naming the entry and the placeholder")
        void rejectsUnknownPlaceholder() {
            // Given
            Troubleshooting typo = entry("Typo", "kubectl describe pod {pod} -n {namspace}");

            // When / Then
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new KnowledgeBase(List.of(entry("Fine", "kubectl get pods"), typo)))
                    .withMessageContaining("'Typo'")
                    .withMessageContaining("{namspace}");
        }

        @Test
        @DisplayName("two entries for the same reason are rejected")
        void rejectsDuplicateReason() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new KnowledgeBase(List.of(
                            entry("Evicted", "kubectl get pods"), entry("Evicted", "kubectl get nodes"))))
                    .withMessageContaining("'Evicted'");
        }

        @Test
        @DisplayName("an entry without a reason is rejected")
        void rejectsBlankReason() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new KnowledgeBase(List.of(entry(" ", "kubectl get pods"))))
                    .withMessageContaining("no reason");
        }

        @Test
        @DisplayName("jsonpath braces are not placeholders")
        void acceptsJsonpath() {
            // Given
            Troubleshooting jsonpath = entry("Custom",
                    "kubectl get pod {pod} -n {namespace} -o jsonpath='{.status.containerStatuses[*].lastState}'");

            // When
            KnowledgeBase custom = new KnowledgeBase(List.of(jsonpath));

            // Then
            assertThat(custom.reasons()).containsExactly("Custom");
        }

        private Troubleshooting entry(String reason, String command) {
            return new Troubleshooting(reason, Severity.ERROR, "Something happened.", List.of("a", "b"),
                    List.of(command), "https://kubernetes.io/docs/tasks/debug/");
        }
    }

    @Nested
    @DisplayName("fallback for reasons without an entry")
    class Fallback {

        @Test
        @DisplayName("a Warning event with an unknown reason gets a generic WARNING entry")
        void unknownWarning() {
            // When
            Troubleshooting entry = knowledgeBase.forReason("FailedSync", true);

            // Then
            assertThat(entry.reason()).isEqualTo("FailedSync");
            assertThat(entry.severity()).isEqualTo(Severity.WARNING);
            assertThat(entry.description()).contains("FailedSync");
            assertThat(entry.likelyCauses()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(entry.debugCommands()).hasSizeGreaterThanOrEqualTo(2)
                    .contains("kubectl describe {kind} {name} -n {namespace}");
            assertThat(entry.runbookUrl()).isEqualTo("https://kubernetes.io/docs/tasks/debug/");
        }

        @Test
        @DisplayName("a Normal event with an unknown reason gets a generic INFO entry")
        void unknownNormal() {
            assertThat(knowledgeBase.forReason("Rebooted", false).severity()).isEqualTo(Severity.INFO);
        }

        @Test
        @DisplayName("a known reason gets its own entry whatever the event type")
        void knownReasonWins() {
            // Given: the kubelet reports "Back-off pulling image" as a Normal event
            Troubleshooting expected = knowledgeBase.find(Reasons.IMAGE_PULL_BACK_OFF).orElseThrow();

            // When
            Troubleshooting entry = knowledgeBase.forReason(Reasons.IMAGE_PULL_BACK_OFF, false);

            // Then
            assertThat(entry).isSameAs(expected);
            assertThat(entry.severity()).isEqualTo(Severity.ERROR);
        }

        @Test
        @DisplayName("a blank reason still gets a usable entry")
        void blankReason() {
            assertThat(knowledgeBase.forReason("", true).description()).isNotBlank();
            assertThat(knowledgeBase.forReason(null, false).severity()).isEqualTo(Severity.INFO);
        }
    }
}
