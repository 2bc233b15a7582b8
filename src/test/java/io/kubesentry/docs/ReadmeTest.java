package io.kubesentry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesentry.cli.ExitCode;
import io.kubesentry.config.Variables;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the README's commands, variables and exit codes what the code and CI say they are. */
@DisplayName("README.md")
class ReadmeTest {

    private static final Path README = Path.of("README.md");
    private static final int MAX_LINES = 350;
    private static final Pattern REPLAY_FILE = Pattern.compile("\\breplay\\s+(?:--?\\S+\\s+)*(\\S+)");
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|mailto:|#)([^)#\\s]+)(?:#[^)]*)?\\)");

    @Test
    @DisplayName("lists exactly the variables of config.Variables, each with the default --help states")
    void variables() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> cells : tableRows(section("## Configuration"))) {
            if (cells.get(0).startsWith("`")) {
                String previous = documented.put(unquote(cells.get(0)), unquote(cells.get(1)));
                assertThat(previous).as("%s listed twice", cells.get(0)).isNull();
            }
        }
        Map<String, String> declared = new LinkedHashMap<>();
        Variables.ALL.forEach(variable -> declared.put(variable.name(), variable.defaultText()));

        assertThat(documented).containsExactlyInAnyOrderEntriesOf(declared);
    }

    @Test
    @DisplayName("quick start: two commands, a build with a replay of a bundled example, then the tests .ci/run runs")
    void quickStart() throws IOException {
        List<String> commands = firstBlock(section("## Quick start"), "```bash").stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        List<String> ci = Files.readAllLines(Path.of(".ci", "run"), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> line.startsWith("mvn "))
                .toList();

        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).startsWith("mvn ").contains(" package ");
        Matcher replay = REPLAY_FILE.matcher(commands.get(0));
        assertThat(replay.find()).as("a replay in %s", commands.get(0)).isTrue();
        assertThat(replay.group(1)).startsWith("examples/");
        assertThat(Path.of(replay.group(1))).isRegularFile();
        assertThat(ci).containsExactly(commands.get(1));
    }

    @Test
    @DisplayName("lists exactly the exit codes of cli.ExitCode")
    void exitCodes() throws IOException {
        List<Integer> documented = tableRows(section("### Exit codes")).stream()
                .map(cells -> cells.get(0))
                .filter(cell -> cell.matches("\\d+"))
                .map(Integer::valueOf)
                .toList();
        List<Integer> declared = Arrays.stream(ExitCode.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == int.class)
                .map(ReadmeTest::value)
                .toList();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    @DisplayName("is a guide of at most 350 lines")
    void length() throws IOException {
        assertThat(readme().size()).as("lines in README.md").isLessThanOrEqualTo(MAX_LINES);
    }

    @Test
    @DisplayName("and the pages under docs/ link only to files that exist")
    void links() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher link = RELATIVE_LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (link.find()) {
                Path target = page.toAbsolutePath().getParent().resolve(link.group(1)).normalize();
                if (!Files.exists(target)) {
                    broken.add(page + ": " + link.group(1));
                }
            }
        }

        assertThat(broken).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static List<String> readme() throws IOException {
        return Files.readAllLines(README, StandardCharsets.UTF_8);
    }

    /** The lines under a heading, up to the next heading of the same or a higher level (outside code blocks). */
    private static List<String> section(String heading) throws IOException {
        List<String> lines = readme();
        int start = lines.indexOf(heading);
        assertThat(start).as("README heading %s", heading).isNotNegative();
        int level = heading.indexOf(' ');
        boolean code = false;
        int end = start + 1;
        for (; end < lines.size(); end++) {
            String line = lines.get(end);
            code ^= line.startsWith("```");
            if (!code && line.matches("#{1," + level + "} .*")) {
                break;
            }
        }
        return lines.subList(start + 1, end);
    }

    private static List<String> firstBlock(List<String> lines, String fence) {
        int start = lines.indexOf(fence);
        assertThat(start).as("a %s block", fence).isNotNegative();
        int end = lines.subList(start + 1, lines.size()).indexOf("```") + start + 1;
        return lines.subList(start + 1, end);
    }

    /** The cells of each body row of the tables in these lines (the header and its rule left out). */
    private static List<List<String>> tableRows(List<String> lines) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean header = i + 1 < lines.size() && lines.get(i + 1).strip().startsWith("| ---");
            if (line.startsWith("|") && !header && !line.startsWith("| ---")) {
                rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                        .map(String::strip).toList());
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }

    private static int value(Field field) {
        try {
            return field.getInt(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
