package io.kubesentry.camel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The threshold aggregate's groups (one per object and reason below its threshold), at most {@code bound}:
 * past it the least recently counted group is forgotten, and {@code forgotten} told. Camel's own repository
 * has no bound, so a flood of distinct objects would grow it for the whole threshold window. A forgotten
 * group's timeout finds nothing and does nothing; its object starts counting again at its next occurrence.
 */
public final class BoundedAggregationRepository extends ServiceSupport implements AggregationRepository {

    private final int bound;
    private final Runnable forgotten;
    private final LinkedHashMap<String, Exchange> groups = new LinkedHashMap<>(16, 0.75f, true);

    public BoundedAggregationRepository(int bound, Runnable forgotten) {
        this.bound = bound;
        this.forgotten = forgotten;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        int evicted = 0;
        Exchange old;
        synchronized (groups) {
            old = groups.put(key, exchange);
            while (groups.size() > bound) {
                Map.Entry<String, Exchange> eldest = groups.entrySet().iterator().next();
                groups.remove(eldest.getKey());
                evicted++;
            }
        }
        for (int i = 0; i < evicted; i++) {
            forgotten.run();
        }
        return old;
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        synchronized (groups) {
            return groups.get(key);
        }
    }

    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) {
        synchronized (groups) {
            groups.remove(key);
        }
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        // nothing kept after completion
    }

    @Override
    public Set<String> getKeys() {
        synchronized (groups) {
            return Set.copyOf(groups.keySet());
        }
    }

    public int size() {
        synchronized (groups) {
            return groups.size();
        }
    }

    @Override
    protected void doStop() {
        synchronized (groups) {
            groups.clear();
        }
    }
}
