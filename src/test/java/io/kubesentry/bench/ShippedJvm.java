package io.kubesentry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the image runs the jar (Dockerfile), named once for the benchmark; {@code DockerfileTest} checks the
 * Dockerfile against it, so the benchmark measures what ships. Why each flag: README "Performance".
 */
public final class ShippedJvm {

    /** {@code JAVA_TOOL_OPTIONS} before the class archive is added to it. */
    public static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xmx48m",
            "-Xss256k",
            "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=24m",
            "-XX:MaxMetaspaceSize=96m",
            "-XX:CICompilerCount=1",
            "-XX:+ExitOnOutOfMemoryError");

    /**
     * The environment beside the flags: glibc keeps one malloc arena per thread that allocates natively (up to
     * 8 per core), each holding freed memory; two are enough here.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** The class archive the image builds beside the jar and starts with. */
    public static final String ARCHIVE = "kube-sentry-events.jsa";

    /** What the image's build replays once to train the archive: the recording the README's first command replays. */
    public static final Path TRAINING_EVENTS = Path.of("examples/cluster-events.json");

    private ShippedJvm() {
    }

    /** The training run's arguments after {@code java} (the flags come from JAVA_TOOL_OPTIONS in the image). */
    public static List<String> training(Path archive, Path jar, Path events) {
        List<String> arguments = new ArrayList<>(FLAGS);
        arguments.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(), "replay",
                events.toString()));
        return arguments;
    }

    /** The flags the agent runs with: {@link #FLAGS} and the archive. */
    public static List<String> running(Path archive) {
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-XX:SharedArchiveFile=" + archive);
        return flags;
    }
}
