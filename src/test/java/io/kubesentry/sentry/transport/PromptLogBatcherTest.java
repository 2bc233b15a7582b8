package io.kubesentry.sentry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEvents;
import io.sentry.SentryLogLevel;
import io.sentry.protocol.SentryId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PromptLogBatcherTest {

    private final List<Integer> batches = new CopyOnWriteArrayList<>();
    private final PromptLogBatcher batcher = new PromptLogBatcher((SentryLogEvents logs) -> batches.add(logs.getItems().size()));

    @AfterEach
    void close() {
        batcher.close(false);
    }

    @Test
    void aStormGoesOutInFullBatchesAndItsTailOnceItIsQuiet() {
        for (int i = 0; i < 250; i++) {
            batcher.add(log(i));
        }

        assertThat(batches).containsExactly(100, 100);
        // the tail does not wait for the 1 s limit: 100 ms without a new log are enough
        await().atMost(Duration.ofMillis(700)).until(() -> batches.size() == 3);
        assertThat(batches).containsExactly(100, 100, 50);
    }

    @Test
    void logsThatKeepComingWaitAtMostASecond() throws InterruptedException {
        long start = System.nanoTime();
        // a trickle, never quiet for 100 ms: nothing goes until the oldest is 1 s old
        while (batches.isEmpty() && System.nanoTime() - start < 3_000_000_000L) {
            batcher.add(log(0));
            Thread.sleep(40);
        }
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(batches).hasSize(1);
        assertThat(waitedMillis).isBetween(PromptLogBatcher.LATEST_MILLIS - 50, PromptLogBatcher.LATEST_MILLIS + 1_000);
        assertThat(batches.get(0)).isBetween(10, 30);
    }

    @Test
    void aFlushWaitsForTheBatchAnotherThreadIsHandingOver() throws InterruptedException {
        CountDownLatch handingOver = new CountDownLatch(1);
        CountDownLatch transportFree = new CountDownLatch(1);
        List<Integer> handed = new CopyOnWriteArrayList<>();
        PromptLogBatcher slowTransport = new PromptLogBatcher((SentryLogEvents logs) -> {
            handingOver.countDown();
            try {
                transportFree.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handed.add(logs.getItems().size());
        });
        slowTransport.add(log(1));
        assertThat(handingOver.await(2, TimeUnit.SECONDS)).isTrue(); // the timer took it: nothing is pending

        new Thread(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            transportFree.countDown();
        }).start();
        slowTransport.flush(5_000);

        assertThat(handed).containsExactly(1);
        slowTransport.close(false);
    }

    @Test
    void closingSendsWhatIsPending() {
        batcher.add(log(1));
        batcher.add(log(2));

        batcher.close(false);

        assertThat(batches).containsExactly(2);
    }

    @Test
    void nothingPendingSendsNothing() {
        batcher.add(log(1));
        await().atMost(Duration.ofSeconds(2)).until(() -> batches.size() == 1);
        // the timer's later checks find nothing pending: no batch follows
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> batches.size() == 1);

        batcher.flush(100);

        assertThat(batches).containsExactly(1);
    }

    private static SentryLogEvent log(int n) {
        return new SentryLogEvent(new SentryId(), (double) n, "log " + n, SentryLogLevel.INFO);
    }
}
