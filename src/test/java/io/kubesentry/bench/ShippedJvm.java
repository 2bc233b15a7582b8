package io.kubesentry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the image runs the jar (Dockerfile), named once for the benchmark; {@code DockerfileTest} checks the
 * Dockerfile against it, so the benchmark measures what ships. Why each flag: docs/performance.md.
 */
public final class ShippedJvm {

    /** {@code JAVA_TOOL_OPTIONS} before the class archive is added to it. */
    public static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xmx48m",
            "-Xmn10m",
            "-XX:SurvivorRatio=4",
            "-XX:TargetSurvivorRatio=90",
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

    /**
     * The flags of the agent's training run ({@link ArchiveTraining}): {@link #FLAGS}, as the archive must be
     * written by the JVM that will map it, and where to write the archive when the JVM exits.
     */
    public static List<String> training(Path archive) {
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-XX:ArchiveClassesAtExit=" + archive);
        return flags;
    }

    /** The flags the agent runs with: {@link #FLAGS} and the archive. */
    public static List<String> running(Path archive) {
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-XX:SharedArchiveFile=" + archive);
        return flags;
    }
}
