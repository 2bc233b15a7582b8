package io.kubesentry.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiringIdempotentRepositoryTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** Nanoseconds of a clock that only moves when the test says so. */
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private ExpiringIdempotentRepository repository(long maximumSize) {
        return new ExpiringIdempotentRepository(WINDOW, maximumSize, ticker);
    }

    @Test
    @DisplayName("accepts a key once and refuses it again inside the window")
    void addsOnce() {
        // Given
        ExpiringIdempotentRepository repository = repository(100);

        // When
        boolean first = repository.add("shop|Deployment/api|OOMKilled");
        advance(Duration.ofMinutes(4));
        boolean repeat = repository.add("shop|Deployment/api|OOMKilled");

        // Then
        assertThat(first).isTrue();
        assertThat(repeat).isFalse();
        assertThat(repository.contains("shop|Deployment/api|OOMKilled")).isTrue();
    }

    @ParameterizedTest(name = "{0} after the first add -> added again: {1}")
    @CsvSource({"PT0S, false", "PT4M59S, false", "PT5M, true", "PT5M1S, true", "PT1H, true"})
    @DisplayName("forgets a key once the window has passed since it was added")
    void forgetsAfterTheWindow(Duration elapsed, boolean addedAgain) {
        // Given
        ExpiringIdempotentRepository repository = repository(100);
        repository.add("key");

        // When
        advance(elapsed);
        boolean added = repository.add("key");

        // Then
        assertThat(added).isEqualTo(addedAgain);
        assertThat(repository.contains("key")).isTrue();
    }

    @Test
    @DisplayName("counts the window from the add, not from a refused repeat")
    void repeatsDoNotExtendTheWindow() {
        // Given
        ExpiringIdempotentRepository repository = repository(100);
        repository.add("key");
        advance(Duration.ofMinutes(3));
        assertThat(repository.add("key")).isFalse();

        // When
        advance(Duration.ofMinutes(2));
        boolean added = repository.add("key");

        // Then
        assertThat(added).isTrue();
    }

    @Test
    @DisplayName("no longer contains a key after the window")
    void containsExpires() {
        // Given
        ExpiringIdempotentRepository repository = repository(100);
        repository.add("key");

        // When
        advance(WINDOW.plusSeconds(1));

        // Then
        assertThat(repository.contains("key")).isFalse();
        assertThat(repository.size()).isZero();
    }

    @Test
    @DisplayName("lets a removed key be added again inside the window")
    void removeAllowsReAdd() {
        // Given
        ExpiringIdempotentRepository repository = repository(100);
        repository.add("key");

        // When
        boolean removed = repository.remove("key");
        boolean removedTwice = repository.remove("key");
        boolean added = repository.add("key");

        // Then
        assertThat(removed).isTrue();
        assertThat(removedTwice).isFalse();
        assertThat(added).isTrue();
    }

    @Test
    @DisplayName("clear forgets every key")
    void clear() {
        // Given
        ExpiringIdempotentRepository repository = repository(100);
        repository.add("a");
        repository.add("b");

        // When
        repository.clear();

        // Then
        assertThat(repository.size()).isZero();
        assertThat(repository.add("a")).isTrue();
    }

    @Test
    @DisplayName("keeps no more keys than its maximum size")
    void boundedBySize() {
        // Given
        ExpiringIdempotentRepository repository = repository(10);

        // When
        long accepted = IntStream.range(0, 1_000).mapToObj(i -> "key-" + i).filter(repository::add).count();

        // Then
        assertThat(accepted).isEqualTo(1_000);
        assertThat(repository.size()).isEqualTo(10);
    }

    @Test
    @DisplayName("confirm is always true: keys are added eagerly")
    void confirm() {
        // Given
        ExpiringIdempotentRepository repository = repository(10);

        // When / Then
        assertThat(repository.confirm("anything")).isTrue();
    }
}
