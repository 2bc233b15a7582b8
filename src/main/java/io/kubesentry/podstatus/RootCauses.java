package io.kubesentry.podstatus;

import static io.kubesentry.classify.Reasons.*;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kubesentry.event.Occurrence;
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

    private final Cache<String, String> causeByContainer;

    public RootCauses(Duration memory, long maximumContainers) {
        this.causeByContainer = Caffeine.newBuilder().expireAfterWrite(memory).maximumSize(maximumContainers).build();
    }

    /** The occurrence under the name of its root cause; remembers causes read from Pod status. */
    public Occurrence attribute(Occurrence occurrence) {
        Optional<String> container = occurrence.object().container();
        if (!occurrence.object().isPod() || container.isEmpty()) {
            return occurrence;
        }
        String key = occurrence.namespace() + "/" + occurrence.object().name() + "/" + container.get();
        String reason = occurrence.reason();
        if (reason.equals(OOM_KILLED)) {
            causeByContainer.put(key, OOM_KILLED);
            return occurrence;
        }
        if (reason.equals(CRASH_LOOP_BACK_OFF) || reason.equals(BACK_OFF)) {
            String known = causeByContainer.getIfPresent(key);
            if (reason.equals(CRASH_LOOP_BACK_OFF) && !OOM_KILLED.equals(known)) {
                causeByContainer.put(key, CRASH_LOOP_BACK_OFF);
                known = CRASH_LOOP_BACK_OFF;
            }
            return known == null ? occurrence : occurrence.withReason(known);
        }
        return occurrence;
    }
}
