package io.kubesentry.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kamelets are generated from the shipped routes; this fails when a route changed and the Kamelets were not
 * regenerated. {@code mvn -o test -Dtest=KameletsFromRoutesTest -Dkamelets.write=true} regenerates them.
 */
@DisplayName("The Kamelets are the shipped routes")
class KameletsFromRoutesTest {

    static Stream<String> recipes() {
        return KameletsFromRoutes.RECIPES.stream().map(KameletsFromRoutes.Recipe::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    @DisplayName("each Kamelet's template is what its routes generate")
    void generated(String name) throws Exception {
        // Given
        KameletsFromRoutes generator = new KameletsFromRoutes(Path.of("routes"));
        KameletsFromRoutes.Recipe recipe = KameletsFromRoutes.RECIPES.stream()
                .filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        Path file = KameletPipeTest.KAMELETS.resolve(name + ".kamelet.yaml");
        String current = KameletsFromRoutes.read(file);

        // When
        String generated = generator.kamelet(recipe, current);
        if (Boolean.getBoolean("kamelets.write") && !current.equals(generated)) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assumptions.abort("regenerated " + file + ": nothing was checked");
        }

        // Then
        assertThat(current).as("%s is out of date: run mvn -o test -Dtest=KameletsFromRoutesTest "
                + "-Dkamelets.write=true", file).isEqualTo(generated);
    }
}
