package io.kubesentry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The variables --help lists")
class VariablesTest {

    @Test
    @DisplayName("are exactly the variables the parsers read: one added to a parser alone fails here")
    void sameAsTheParsers() {
        List<String> read = Stream.of(SettingsParser.class, RoutingParser.class)
                .flatMap(parser -> Arrays.stream(parser.getDeclaredFields()))
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(VariablesTest::value)
                .filter(value -> value.matches("[A-Z][A-Z0-9_]*"))
                .map(value -> value.endsWith("_") ? value + "<NAME>" : value)
                .toList();

        assertThat(Variables.ALL).extracting(Variables.Variable::name).containsExactlyInAnyOrderElementsOf(read);
    }

    @Test
    @DisplayName("each example is a value its parser accepts")
    void examplesParse() {
        for (Variables.Variable variable : Variables.ALL) {
            if (variable.name().contains("<") || variable.name().startsWith("POD_")
                    || variable.name().equals(SettingsParser.ROUTES_DIR) || variable.name().equals(SettingsParser.BUFFER_DIR)
                    || variable.name().equals(RoutingParser.ROUTING) || variable.name().equals(RoutingParser.PROJECTS)) {
                continue; // need a directory, other variables or the downward API
            }
            SettingsParser.parse(java.util.Map.of(variable.name(), variable.example(),
                    SettingsParser.POD_NAMESPACE, "monitoring", SettingsParser.POD_NAME, "agent-0"));
        }
    }

    @Test
    @DisplayName("the defaults they state are the parsers' defaults")
    void defaults() {
        Settings defaults = Settings.defaults();
        assertThat(text(SettingsParser.DEDUP_WINDOW)).isEqualTo("5m");
        assertThat(defaults.dedupWindow()).hasMinutes(5);
        assertThat(text(SettingsParser.REPLAY_DEADLINE)).isEqualTo("3m");
        assertThat(defaults.replayDeadline()).hasMinutes(3);
        assertThat(text(SettingsParser.HTTP_PORT)).isEqualTo(String.valueOf(defaults.httpPort()));
        assertThat(text(SettingsParser.BUFFER_SIZE)).isEqualTo(String.valueOf(defaults.bufferEnvelopes()));
        assertThat(text(SettingsParser.EXCLUDE_NAMESPACES)).isEqualTo(String.join(",", defaults.excludedNamespaces()));
        assertThat(text(SettingsParser.EVENTS).split(",")).containsExactlyInAnyOrderElementsOf(defaults.reasons());
    }

    private static String text(String name) {
        return Variables.ALL.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().defaultText();
    }

    private static String value(Field field) {
        try {
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
