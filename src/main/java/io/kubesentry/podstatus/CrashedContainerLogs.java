package io.kubesentry.podstatus;

import static io.kubesentry.classify.Reasons.BACK_OFF;
import static io.kubesentry.classify.Reasons.CRASH_LOOP_BACK_OFF;
import static io.kubesentry.classify.Reasons.OOM_KILLED;

import io.kubesentry.core.ContainerLog;
import io.kubesentry.core.Occurrence;
import java.util.Optional;
import java.util.Set;

/** Gives the issue of a crashed container what it last wrote: OOM kills and crash loops of a pod's container. */
public final class CrashedContainerLogs {

    private static final Set<String> CRASHES = Set.of(OOM_KILLED, CRASH_LOOP_BACK_OFF, BACK_OFF);

    private final PreviousLogs logs;

    public CrashedContainerLogs(PreviousLogs logs) {
        this.logs = logs;
    }

    /** The occurrence with its container's previous log, or unchanged when it is no crash or the log is empty. */
    public Occurrence attach(Occurrence occurrence) {
        Optional<String> container = occurrence.object().container();
        if (!CRASHES.contains(occurrence.reason()) || !occurrence.object().isPod() || container.isEmpty()) {
            return occurrence;
        }
        return logs.tail(occurrence.namespace(), occurrence.object().name(), container.get())
                .map(text -> occurrence.withPreviousLog(new ContainerLog(container.get(), text)))
                .orElse(occurrence);
    }
}
