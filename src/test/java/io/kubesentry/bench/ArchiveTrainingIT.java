package io.kubesentry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's training run on the packaged jar (Dockerfile, {@link ArchiveTraining}): the archive it writes is
 * valid for the shipped flags and holds the classes a replay never loads, those of the watch over HTTP and
 * WebSocket and of the Sentry transport. Runs under maven-failsafe on the jar.
 */
class ArchiveTrainingIT {

    private static final Path JAR = Path.of(System.getProperty("basedir", ".")).resolve("target/kube-sentry-events.jar");

    @Test
    void theTrainingRunWritesAnArchiveOfTheClassesTheAgentRunsOn(@TempDir Path dir) throws Exception {
        // as in the image: the jar at the path it runs from, the archive beside it
        Path jar = Files.copy(JAR, dir.resolve("kube-sentry-events.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = dir.resolve(ShippedJvm.ARCHIVE);

        ArchiveTraining.train(jar, archive, dir.resolve("training"));

        String classes = printArchive(jar, archive);
        assertThat(classes).contains("archive is valid",
                "io.fabric8.kubernetes.client.jdkhttp.JdkWebSocketImpl",
                "io.kubesentry.sentry.transport.RetryingTransport",
                "io.kubesentry.camel.watch.ResilientWatchConsumer",
                "io.kubesentry.sentry.SentryReporting");
    }

    /** What the JVM, started with the shipped flags, says of the archive and the classes in it. */
    private static String printArchive(Path jar, Path archive) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(AgentProcess.java());
        command.addAll(ShippedJvm.running(archive));
        command.addAll(List.of("-XX:+PrintSharedArchiveAndExit", "-cp", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
