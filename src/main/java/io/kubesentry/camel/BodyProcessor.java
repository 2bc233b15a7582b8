package io.kubesentry.camel;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A step that turns the message body into the next one, as a Camel {@link Processor} named with {@code ref:}:
 * Camel calls it directly, where a {@code bean:} step chose the method and bound its parameters by reflection
 * for every message (see {@link BodyPredicate}).
 */
public record BodyProcessor<T>(String name, Class<T> type, Function<? super T, ?> step)
        implements Processor, BodyRef {

    /** A step that uses the body and leaves it as it is. */
    public static <T> BodyProcessor<T> using(String name, Class<T> type, Consumer<? super T> use) {
        return new BodyProcessor<>(name, type, body -> {
            use.accept(body);
            return body;
        });
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(step.apply(BodyPredicate.body(exchange, type)));
    }

    @Override
    public String toString() {
        return name;
    }
}
