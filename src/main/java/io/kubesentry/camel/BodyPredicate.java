package io.kubesentry.camel;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadRuntimeException;
import org.apache.camel.Predicate;

/**
 * A domain question about the message body, as a Camel {@link Predicate} that routes name with {@code ref:}.
 * Camel's bean language ({@code method:}) calls the same method, but copies the whole exchange (headers,
 * properties) around every call to shield it from the bean: with six such calls per occurrence that was a
 * quarter of what the watch thread allocated.
 */
public record BodyPredicate<T>(String name, Class<T> type, java.util.function.Predicate<? super T> test)
        implements Predicate, BodyRef {

    @Override
    public boolean matches(Exchange exchange) {
        return test.test(body(exchange, type));
    }

    static <T> T body(Exchange exchange, Class<T> type) {
        T body = exchange.getIn().getBody(type);
        if (body == null) {
            throw new InvalidPayloadRuntimeException(exchange, type);
        }
        return body;
    }

    @Override
    public String toString() {
        return name;
    }
}
