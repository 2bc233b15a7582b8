package io.kubesentry.camel;

import io.kubesentry.core.Occurrence;
import io.kubesentry.threshold.CountedOccurrence;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** The threshold aggregate's strategy: counts how often one object's failure happened, keeping the latest occurrence. */
final class OccurrenceTally implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange counted, Exchange latest) {
        Occurrence occurrence = latest.getMessage().getBody(Occurrence.class);
        latest.getMessage().setBody(counted == null
                ? CountedOccurrence.first(occurrence)
                : counted.getMessage().getBody(CountedOccurrence.class).next(occurrence));
        return latest;
    }
}
