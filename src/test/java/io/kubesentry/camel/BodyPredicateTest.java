package io.kubesentry.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadRuntimeException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routes' questions about the body and their steps, asked of and applied to the body itself: no exchange
 * copied and no method chosen by reflection per call.
 */
class BodyPredicateTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void aPredicateAsksItsQuestionOfTheBody() {
        BodyPredicate<String> isLong = new BodyPredicate<>("isLong", String.class, text -> text.length() > 3);

        assertThat(isLong.matches(exchangeWith("BackOff"))).isTrue();
        assertThat(isLong.matches(exchangeWith("Ok"))).isFalse();
        assertThat(isLong).hasToString("isLong");
    }

    @Test
    void anExpressionComputesFromTheBodyAndConvertsItsResult() {
        BodyExpression<String> length = new BodyExpression<>("length", String.class, String::length);

        assertThat(length.evaluate(exchangeWith("BackOff"), Integer.class)).isEqualTo(7);
        assertThat(length.evaluate(exchangeWith("BackOff"), String.class)).isEqualTo("7");
    }

    @Test
    void aBodyOfAnotherKindIsAnErrorThatNamesTheTypeExpected() {
        BodyPredicate<Thread> isDaemon = new BodyPredicate<>("isDaemon", Thread.class, Thread::isDaemon);
        BodyExpression<Thread> name = new BodyExpression<>("name", Thread.class, Thread::getName);

        assertThatThrownBy(() -> isDaemon.matches(exchangeWith("BackOff")))
                .isInstanceOf(InvalidPayloadRuntimeException.class).hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(() -> name.evaluate(exchangeWith(null), String.class))
                .isInstanceOf(InvalidPayloadRuntimeException.class);
    }

    @Test
    void aProcessorTurnsTheBodyIntoTheNextOneOrUsesItAndLeavesIt() {
        BodyProcessor<String> length = new BodyProcessor<>("length", String.class, String::length);
        List<String> seen = new java.util.ArrayList<>();
        BodyProcessor<String> remember = BodyProcessor.using("remember", String.class, seen::add);
        Exchange first = exchangeWith("BackOff");
        Exchange second = exchangeWith("Unhealthy");

        length.process(first);
        remember.process(second);

        assertThat(first.getMessage().getBody()).isEqualTo(7);
        assertThat(second.getMessage().getBody()).isEqualTo("Unhealthy");
        assertThat(seen).containsExactly("Unhealthy");
        assertThat(remember).hasToString("remember");
        assertThatThrownBy(() -> length.process(exchangeWith(null)))
                .isInstanceOf(InvalidPayloadRuntimeException.class).hasMessageContaining("java.lang.String");
    }

    @Test
    void theShippedRoutesAndKameletsCallNoBeanByReflection() throws Exception {
        // a bean: step chooses its method and binds its parameters by reflection for every message
        assertThat(shippedRoutesAndKamelets()).isNotEmpty().allSatisfy(file -> assertNoKey(file, "bean:"));
    }

    @Test
    void theShippedRoutesAndKameletsAskNothingThroughCamelsBeanLanguage() throws Exception {
        // the bean language: a "method:" key with the bean and its method under it
        assertThat(shippedRoutesAndKamelets()).isNotEmpty().allSatisfy(file -> assertNoKey(file, "method:"));
    }

    private static List<Path> shippedRoutesAndKamelets() throws java.io.IOException {
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("routes")), Files.list(Path.of("kamelets")))) {
            return files.filter(file -> file.toString().endsWith(".yaml")).toList();
        }
    }

    private static void assertNoKey(Path file, String key) throws java.io.IOException {
        assertThat(Files.readAllLines(file)).as(file.toString())
                .noneMatch(line -> line.strip().replaceFirst("^- ", "").equals(key));
    }

    private Exchange exchangeWith(Object body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body);
        return exchange;
    }
}
