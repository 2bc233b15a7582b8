package io.kubesentry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written reading of a fieldPath names the container the regular expression it replaced names. */
class InvolvedObjectProperties {

    private static final Pattern CONTAINER_FIELD =
            Pattern.compile("spec\\.(?:initContainers|containers|ephemeralContainers)\\{(.+)}");

    @Property(tries = 5_000)
    @Label("container() agrees with spec.(initContainers|containers|ephemeralContainers){(.+)}")
    void agreesWithTheRegularExpression(@ForAll("fieldPaths") String fieldPath) {
        Matcher matcher = CONTAINER_FIELD.matcher(fieldPath);
        Optional<String> expected = matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();

        assertThat(new InvolvedObject("Pod", "shop", "web-1", "u", fieldPath).container()).isEqualTo(expected);
    }

    @Example
    void namesTheContainerOfEachList() {
        assertThat(container("spec.containers{app}")).contains("app");
        assertThat(container("spec.initContainers{migrate}")).contains("migrate");
        assertThat(container("spec.ephemeralContainers{debugger}")).contains("debugger");
        assertThat(container("spec.containers{a{b}}")).contains("a{b}");
        assertThat(container("spec.containers{}")).isEmpty();
        assertThat(container("spec.volumes{data}")).isEmpty();
        assertThat(container("xspec.containers{app}")).isEmpty();
        assertThat(container("spec.containers{a\nb}")).isEmpty();
        assertThat(container(null)).isEmpty();
    }

    private static Optional<String> container(String fieldPath) {
        return new InvolvedObject("Pod", "shop", "web-1", "u", fieldPath).container();
    }

    @Provide
    Arbitrary<String> fieldPaths() {
        Arbitrary<String> prefixes = Arbitraries.of("spec.containers", "spec.initContainers",
                "spec.ephemeralContainers", "spec.container", "spec.containersX", "Spec.containers", "", "spec.",
                "status.containerStatuses", "spec.containers{x}");
        Arbitrary<String> names = Arbitraries.strings().withChars("ab-{}.\n\r\u0085\u2028\u2029 é💥").ofMaxLength(6);
        Arbitrary<String> ends = Arbitraries.of("}", "", "}}", "{", "} ");
        Arbitrary<String> shaped = Combinators.combine(prefixes, Arbitraries.of("{", "", "{{"), names, ends)
                .as((prefix, open, name, end) -> prefix + open + name + end);
        return Arbitraries.oneOf(shaped, Arbitraries.strings().ofMaxLength(30));
    }
}
