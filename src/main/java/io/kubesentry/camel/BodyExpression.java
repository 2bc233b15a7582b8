package io.kubesentry.camel;

import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/** A value computed from the message body, as a Camel {@link Expression} named with {@code ref:} (see {@link BodyPredicate}). */
public record BodyExpression<T>(String name, Class<T> type, Function<? super T, ?> function)
        implements Expression, BodyRef {

    @Override
    public <R> R evaluate(Exchange exchange, Class<R> resultType) {
        Object value = function.apply(BodyPredicate.body(exchange, type));
        return exchange.getContext().getTypeConverter().convertTo(resultType, exchange, value);
    }

    @Override
    public String toString() {
        return name;
    }
}
