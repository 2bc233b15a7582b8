package io.kubesentry.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The threshold groups, bounded, in a Camel aggregate")
class BoundedAggregationRepositoryTest {

    @Test
    @DisplayName("past the bound the least recently counted group is forgotten and counted; it starts again at one")
    void leastRecentForgotten() throws Exception {
        AtomicInteger forgotten = new AtomicInteger();
        BoundedAggregationRepository groups = new BoundedAggregationRepository(2, forgotten::incrementAndGet);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:count").aggregate(header("object"), (counted, latest) -> {
                        int seen = counted == null ? 1 : counted.getMessage().getBody(Integer.class) + 1;
                        latest.getMessage().setBody(seen);
                        return latest;
                    }).aggregationRepository(groups).completionPredicate(body().isEqualTo(3))
                            .completionTimeout(60_000).discardOnCompletionTimeout()
                            .executorService(new org.apache.camel.util.concurrent.SynchronousExecutorService())
                            .to("mock:reached");
                }
            });
            context.start();
            MockEndpoint reached = context.getEndpoint("mock:reached", MockEndpoint.class);

            // When: a, b, a, then c pushes out b (a was counted more recently), a reaches three, b comes back
            for (String object : new String[] {"a", "b", "a", "c", "a", "b"}) {
                context.createProducerTemplate().sendBodyAndHeader("direct:count", 0, "object", object);
            }

            // Then: a reached three; b was forgotten once and counts from one again
            assertThat(reached.getReceivedCounter()).isEqualTo(1);
            assertThat(reached.getReceivedExchanges().get(0).getMessage().getHeader("object")).isEqualTo("a");
            assertThat(forgotten.get()).isEqualTo(1);
            assertThat(groups.getKeys()).containsExactlyInAnyOrder("b", "c");
            assertThat(groups.get(context, "b").getMessage().getBody(Integer.class)).isEqualTo(1);
        }
    }
}
