package io.kubesentry.robustness;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.kubesentry.classify.Reasons;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * The odd values a cluster (or anyone allowed to create Events) can hand the agent: nulls, blanks, emoji,
 * right-to-left text, NUL and control characters, regex and template metacharacters, unparseable and extreme
 * timestamps, negative counts, unknown kinds, and notes of a megabyte.
 */
final class Hostile {

    /** One mebibyte of text: what {@code kubectl create} accepts in a core/v1 Event message. */
    static final String MEGABYTE_NOTE = "x".repeat(1 << 20);

    /**
     * A kubelet image-pull message over a megabyte: {@code repository .* not found}, searched anywhere in the
     * text, backtracks over the whole line at each "repository ": quadratic in the length of the message.
     */
    static final String REGEX_BOMB = "Failed to pull image \"a\": " + "repository ".repeat(100_000);

    /** Emoji, RTL and bidi overrides, NUL, other C0/C1 controls, a lone surrogate, combining marks. */
    static final List<String> ODD = List.of(
            "", " ", "\t\n\r", "\u0000", "a\u0000b", "\u0007\u001b[31mred\u001b[0m", "\u0085\u2028\u2029",
            "💥🔥🚀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "שלום עולם", "مرحبا بالعالم", "\u202Eevil.exe\u202C", "\u200F\u200E\u200B",
            "\uD800", "\uDFFF\uD800", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "\uFEFFbom", "\uFFFD\uFFFF",
            "${jndi:ldap://127.0.0.1/x}", "$1\\0\\", "{pod}", "{namespace}{{}}", "%s%n%d", "'; DROP TABLE events;--",
            "(combined from similar events): ", "|", "a|b|c", "null", "Warning", "a".repeat(300));

    private Hostile() {
    }

    /** Any text: odd samples, arbitrary code units (lone surrogates included), plausible names, or null. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.of(ODD)),
                        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(24)),
                        Tuple.of(3, names()))
                .injectNull(0.15);
    }

    /** Names as controllers generate them (so the name-based owner guesses run), and odd ones. */
    static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("api-7d9f8b6c5-x2k4q", "api-7d9f8b6c5", "api", "nightly-28472940",
                        "nightly-28472940-abcde", "db-0", "node-1", "kube-system", "default", "shop",
                        "-7d9f8b6c5-x2k4q", "7d9f8b6c5", "a-12345678-", "💥-7d9f8b6c5-x2k4q")),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '.')
                        .ofMinLength(1).ofMaxLength(30)));
    }

    /** Mostly the usual values, now and then an odd one. */
    static <T> Arbitrary<T> mostly(Arbitrary<T> usual, Arbitrary<T> odd) {
        return Arbitraries.frequencyOf(Tuple.of(4, usual), Tuple.of(1, odd));
    }

    static Arbitrary<String> kinds() {
        return Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.of("Pod", "Node", "ReplicaSet", "Job", "Deployment", "StatefulSet",
                                "DaemonSet", "CronJob", "Frobnicator", "pod", "NODE")),
                        Tuple.of(1, text()))
                .injectNull(0.1);
    }

    static Arbitrary<String> fieldPaths() {
        return Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.of("spec.containers{app}", "spec.initContainers{init}",
                                "spec.ephemeralContainers{debug}", "spec.containers{}", "spec.containers{💥}",
                                "spec.containers{a}{b}", "spec.containers{\u0000}", "spec.containers{app",
                                "spec.containers{" + "a".repeat(500) + "}", "metadata.name")),
                        Tuple.of(2, text()))
                .injectNull(0.2);
    }

    /** What Events say: the kubelet's and scheduler's raw reasons, the reported ones, and odd ones. */
    static Arbitrary<String> reasons() {
        List<String> known = new ArrayList<>(Reasons.DEFAULT_CRITICAL);
        known.addAll(List.of("Failed", "BackOff", "InspectFailed", "ErrImagePull", "ErrImageNeverPull",
                "InvalidImageName", "OOMKilling", "PodOOMKilling", "SystemOOM", "Killing", "Pulled", "Scheduled",
                Reasons.CREATE_CONTAINER_CONFIG_ERROR, Reasons.CREATE_CONTAINER_ERROR));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(known)), Tuple.of(1, text()));
    }

    /** Messages the classification rules and image-pull patterns read, odd text, and a megabyte. */
    static Arbitrary<String> notes() {
        Arbitrary<String> templates = Arbitraries.of(
                "Error: ErrImagePull", "Error: ImagePullBackOff", "Error: InvalidImageName",
                "Failed to pull image \"docker.io/shop/api:9\": rpc error: not found",
                "Failed to pull image \"x\": toomanyrequests: 429 Too Many Requests",
                "Back-off restarting failed container app in pod api-7d9f8b6c5-x2k4q_shop(7f80)",
                "Back-off pulling image \"x\"", "Error: configmap \"c\" not found", "Error: secret \"s\" not found",
                "Error: ", "Error: container has runAsNonRoot and image will run as root",
                "(combined from similar events): Error: ImagePullBackOff",
                "0/3 nodes are available: 3 Insufficient memory.", "Memory cgroup out of memory: Killed process 1");
        Arbitrary<String> combined = Arbitraries.of("Error: ErrImagePull", "Failed to pull image ",
                "Back-off restarting failed container ", "Error: configmap ").flatMap(prefix ->
                text().map(suffix -> prefix + suffix));
        return Arbitraries.frequencyOf(
                Tuple.of(4, templates),
                Tuple.of(3, combined),
                Tuple.of(4, text()),
                Tuple.of(1, Arbitraries.of(MEGABYTE_NOTE, REGEX_BOMB,
                        "Error: configmap " + "💥\u202E\u0000".repeat(200_000) + " not found")));
    }

    static Arbitrary<String> eventTypes() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("Warning", "Normal")), Tuple.of(1, text()));
    }

    /** Counts as the API stores them: null, zero, negative, huge. */
    static Arbitrary<Integer> counts() {
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(1, 10)),
                        Tuple.of(2, Arbitraries.integers()),
                        Tuple.of(1, Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)))
                .injectNull(0.25);
    }

    /** RFC 3339 now and then, the extremes {@code OffsetDateTime} still parses, and text that never parses. */
    static Arbitrary<String> timestamps() {
        Arbitrary<String> recent = Arbitraries.integers().between(-7200, 7200)
                .map(seconds -> DateTimeFormatter.ISO_INSTANT.format(
                        Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS)));
        return Arbitraries.frequencyOf(
                        Tuple.of(4, recent),
                        Tuple.of(3, Arbitraries.of("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.123456Z",
                                "2024-03-01T10:00:00+05:30", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                                "9999-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                                "+10000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-03-01 10:00:00",
                                "not a time", "1709287200", "2024-03-01T10:00:00", "💥", "\u0000", "", " ")),
                        Tuple.of(1, text()))
                .injectNull(0.3);
    }

    static Arbitrary<MicroTime> microTimes() {
        return timestamps().map(MicroTime::new).injectNull(0.3);
    }
}
