package io.kubesentry.camel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An idempotent repository whose keys are forgotten a fixed time after they were added, bounded in size.
 * Camel's {@code CaffeineIdempotentRepository} never expires its keys, so a repeat after the dedup window
 * would still be suppressed.
 */
public final class ExpiringIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final Cache<String, Boolean> keys;
    private Runnable onDuplicate = () -> { };

    public ExpiringIdempotentRepository(Duration window, long maximumSize) {
        this(window, maximumSize, Ticker.systemTicker());
    }

    public ExpiringIdempotentRepository(Duration window, long maximumSize, Ticker ticker) {
        this.keys = Caffeine.newBuilder()
                .expireAfterWrite(window)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .build();
    }

    /** Called for every key refused as already present: a metric of what was suppressed. */
    public ExpiringIdempotentRepository onDuplicate(Runnable callback) {
        this.onDuplicate = callback;
        return this;
    }

    @Override
    public boolean add(String key) {
        boolean added = keys.asMap().putIfAbsent(key, Boolean.TRUE) == null;
        if (!added) {
            onDuplicate.run();
        }
        return added;
    }

    @Override
    public boolean contains(String key) {
        return keys.getIfPresent(key) != null;
    }

    @Override
    public boolean remove(String key) {
        return keys.asMap().remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        keys.invalidateAll();
    }

    public long size() {
        keys.cleanUp();
        return keys.estimatedSize();
    }
}
