package io.kubesentry.podstatus;

import static io.kubesentry.classify.Reasons.*;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.kubesentry.core.Occurrence;
import java.time.Duration;
import java.util.Optional;

/**
 * Names a crash-loop incident by its cause. The BackOff Event ("Back-off restarting failed container") and
 * the CrashLoopBackOff waiting state of one container are one incident, reported as CrashLoopBackOff; when the
 * container's last termination was OOMKilled, the whole incident is OOMKilled, so its back-off signals add
 * to that issue instead of opening issues of their own. Causes are remembered per container for a while
 * after they were last seen in the Pod's status.
 */
public final class RootCauses {

    private final Cache<String, Occurrence> causeByContainer;

    public RootCauses(Duration memory, long maximumContainers) {
        this(memory, maximumContainers, Ticker.systemTicker());
    }

    /** With the clock the memory expires by: a fake one in tests. */
    RootCauses(Duration memory, long maximumContainers, Ticker ticker) {
        this.causeByContainer = Caffeine.newBuilder().expireAfterWrite(memory).maximumSize(maximumContainers)
                .ticker(ticker).build();
    }

    /** The occurrence under the name of its root cause; remembers causes read from Pod status. */
    public Occurrence attribute(Occurrence occurrence) {
        Optional<String> container = occurrence.object().container();
        if (!occurrence.object().isPod() || container.isEmpty()) {
            return occurrence;
        }
        String key = occurrence.namespace() + "/" + occurrence.object().name() + "/" + container.get();
        String reason = occurrence.reason();
        if (reason.equals(OOM_KILLED) && occurrence.container().isPresent()) {
            causeByContainer.put(key, occurrence);
            return occurrence;
        }
        if (reason.equals(CRASH_LOOP_BACK_OFF) || reason.equals(BACK_OFF)) {
            Occurrence known = causeByContainer.getIfPresent(key);
            boolean oomKnown = known != null && known.reason().equals(OOM_KILLED);
            if (reason.equals(CRASH_LOOP_BACK_OFF) && occurrence.container().isPresent() && !oomKnown) {
                causeByContainer.put(key, occurrence);
                return occurrence;
            }
            return known == null ? occurrence : occurrence.causedBy(known);
        }
        return occurrence;
    }
}
