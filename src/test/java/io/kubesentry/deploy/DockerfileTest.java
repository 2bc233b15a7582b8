package io.kubesentry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubesentry.bench.ArchiveTraining;
import io.kubesentry.bench.ShippedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Images cannot be built on the CI machine: the recipe is read instead. */
@DisplayName("The Dockerfile")
class DockerfileTest {

    static final Path DOCKERFILE = Path.of("Dockerfile");

    /** One instruction: its keyword and its arguments, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    /** The stages, each the list of its instructions starting with its FROM. */
    static List<List<Instruction>> stages() {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : Manifests.read(DOCKERFILE).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString().strip();
            logical.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT),
                    parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("%s before any FROM", text).isNotEmpty();
            stages.get(stages.size() - 1).add(instruction);
        }
        return stages;
    }

    static List<String> arguments(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    @Test
    @DisplayName("builds in a Maven stage and runs on a JRE: two stages")
    void multiStage() {
        List<List<Instruction>> stages = stages();

        assertThat(stages).hasSize(2);
        assertThat(arguments(stages.get(0), "FROM")).singleElement().asString()
                .startsWith("maven:3.9-eclipse-temurin-17").endsWith(" AS build");
        assertThat(arguments(stages.get(0), "RUN")).anySatisfy(run ->
                assertThat(run).contains("mvn -B -q package -DskipTests"));
        assertThat(arguments(stages.get(1), "FROM")).singleElement().asString()
                .isEqualTo("eclipse-temurin:17-jre");
    }

    @Test
    @DisplayName("copies the shaded jar, and nothing else, into the runtime image")
    void copiesTheJar() {
        List<Instruction> runtime = stages().get(1);

        assertThat(arguments(runtime, "COPY")).containsExactly(
                "--from=build /build/target/kube-sentry-events.jar /app/kube-sentry-events.jar");
    }

    @Test
    @DisplayName("builds from files that exist and that .dockerignore lets through")
    void buildContext() throws Exception {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("target/", ".git/");

        List<String> copies = new ArrayList<>(arguments(stages().get(0), "COPY"));
        arguments(stages().get(1), "COPY").stream().filter(copy -> !copy.startsWith("--from=")).forEach(copies::add);
        for (String copy : copies) {
            List<String> paths = List.of(copy.split("\\s+"));
            for (String source : paths.subList(0, paths.size() - 1)) {
                assertThat(Path.of(source)).as("COPY %s", copy).exists();
                assertThat(ignored).noneSatisfy(pattern ->
                        assertThat(source.startsWith(pattern.replaceAll("/$", ""))).isTrue());
            }
        }
    }

    @Test
    @DisplayName("runs as the numeric non-root user the manifests require (runAsUser)")
    void nonRootUser() {
        List<String> users = arguments(stages().get(1), "USER");

        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1);
        Matcher numeric = Pattern.compile("(\\d+)(:\\d+)?").matcher(user);
        assertThat(numeric.matches()).as("USER %s is numeric", user).isTrue();
        long uid = Long.parseLong(numeric.group(1));
        assertThat(uid).isPositive().isEqualTo(Manifests.NON_ROOT_USER);
        Deployment plain = Manifests.one(Manifests.parse(Manifests.PLAIN.resolve("06-deployment.yaml")),
                Deployment.class);
        assertThat(Manifests.container(plain).getSecurityContext().getRunAsUser()).isEqualTo(uid);
    }

    @Test
    @DisplayName("runs the JVM with the flags the benchmark measured (JAVA_TOOL_OPTIONS), the class archive last")
    void jvmFlags() {
        List<String> options = arguments(stages().get(1), "ENV").stream()
                .filter(env -> env.startsWith("JAVA_TOOL_OPTIONS=")).toList();

        assertThat(options).containsExactly(
                "JAVA_TOOL_OPTIONS=\"" + String.join(" ", ShippedJvm.FLAGS) + "\"",
                "JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS} -XX:SharedArchiveFile=/app/" + ShippedJvm.ARCHIVE + "\"");
        // the heap stays well inside the manifests' memory limit (256Mi)
        Matcher heap = Pattern.compile("-Xmx(\\d+)m").matcher(options.get(0));
        assertThat(heap.find()).isTrue();
        assertThat(Integer.parseInt(heap.group(1))).isLessThan(192 / 2);
    }

    @Test
    @DisplayName("trains the class archive with ArchiveTraining on the runtime JRE, before the agent is told to use it")
    void classArchive() {
        List<String> build = arguments(stages().get(0), "RUN");
        List<Instruction> runtime = stages().get(1);
        List<String> keywords = runtime.stream()
                .map(i -> (i.keyword() + " " + i.arguments()).replaceAll("\\s+", " ")).toList();
        // the build stage leaves the training run's classpath: test classes and every test-scope dependency
        assertThat(build).anySatisfy(run -> assertThat(run).contains("dependency:copy-dependencies",
                "-DincludeScope=test", "-DoutputDirectory=target/training-lib"));
        String training = "RUN --mount=type=bind,from=build,source=/build/target,target=/training"
                + " env -u JAVA_TOOL_OPTIONS java -cp \"/training/test-classes:/training/classes:/training/training-lib/*\" "
                + ArchiveTraining.class.getName() + " /app/kube-sentry-events.jar /app/" + ShippedJvm.ARCHIVE + " ";

        int flags = keywords.indexOf("ENV JAVA_TOOL_OPTIONS=\"" + String.join(" ", ShippedJvm.FLAGS) + "\"");
        int trained = indexOf(keywords, training);
        int archive = indexOf(keywords, "ENV JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS} -XX:SharedArchiveFile=");
        assertThat(flags).isNotNegative();
        assertThat(trained).as("the training run").isGreaterThan(flags);
        assertThat(archive).as("the archive flag").isGreaterThan(trained);
        assertThat(indexOf(keywords, "USER ")).isGreaterThan(archive);
    }

    private static int indexOf(List<String> instructions, String prefix) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @DisplayName("ships the environment the benchmark measured with (MALLOC_ARENA_MAX)")
    void mallocArenas() {
        List<String> env = arguments(stages().get(1), "ENV");

        ShippedJvm.ENVIRONMENT.forEach((name, value) -> assertThat(env).contains(name + "=" + value));
    }

    @Test
    @DisplayName("exposes port 8080 and runs the jar in exec form")
    void entrypoint() {
        List<Instruction> runtime = stages().get(1);

        assertThat(arguments(runtime, "EXPOSE")).containsExactly("8080");
        assertThat(arguments(runtime, "ENTRYPOINT"))
                .containsExactly("[\"java\",\"-jar\",\"/app/kube-sentry-events.jar\"]");
        assertThat(arguments(runtime, "CMD")).isEmpty();
    }
}
