package io.kubesentry.classify;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reasons users type into KUBE_SENTRY_EVENTS and KUBE_SENTRY_THRESHOLDS, spelled as Kubernetes spells
 * them: the ones this agent names, and the Event reasons the kubelet, scheduler, controllers and
 * node-problem-detector write. A typed name matches them whatever its case; a name none matches is no error
 * (any Event reason can be listed) but worth a warning, with the known reasons it is closest to.
 */
public final class KnownReasons {

    static final List<String> EVENT_REASONS = List.of(
            // kubelet
            "Failed", "InspectFailed", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName", "Killing",
            "ExceededGracePeriod", "FailedKillPod", "FailedCreatePodContainer", "FailedCreatePodSandBox",
            "FailedPodSandBoxStatus", "FailedSync", "FailedValidation", "FailedPostStartHook", "FailedPreStopHook",
            "NetworkNotReady", "ProbeWarning", "FailedAttachVolume", "FailedMapVolume", "FailedNodeAllocatableEnforcement",
            "NodeNotSchedulable", "NodeHasDiskPressure", "NodeHasInsufficientMemory", "NodeHasInsufficientPID",
            "Rebooted", "ContainerGCFailed", "ImageGCFailed", "FreeDiskSpaceFailed", "InvalidDiskCapacity",
            "SystemOOM", "Preempting", "OutOfcpu", "OutOfmemory", "NodeAffinity", "UnexpectedAdmissionError",
            // node-problem-detector
            "OOMKilling", "PodOOMKilling", "KernelOops", "TaskHung", "DockerHung", "FilesystemIsReadOnly",
            "KernelDeadlock", "FrequentKubeletRestart", "FrequentContainerdRestart",
            // controllers and the scheduler
            "FailedCreate", "FailedDelete", "BackoffLimitExceeded", "DeadlineExceeded", "FailedGetScale",
            "FailedComputeMetricsReplicas", "FailedGetResourceMetric", "ProvisioningFailed", "FailedBinding",
            "VolumeResizeFailed", "FileSystemResizeFailed", "Preempted", "TaintManagerEviction", "NodeNotReady");

    private static final Map<String, String> BY_LOWER_CASE = byLowerCase();

    private KnownReasons() {
    }

    private static Map<String, String> byLowerCase() {
        Map<String, String> names = new LinkedHashMap<>();
        Stream.concat(Reasons.ALL.stream(), EVENT_REASONS.stream())
                .forEach(name -> names.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
        return Map.copyOf(names);
    }

    /** The known reason {@code typed} names, whatever its case. */
    public static Optional<String> canonical(String typed) {
        return Optional.ofNullable(BY_LOWER_CASE.get(typed.toLowerCase(Locale.ROOT)));
    }

    /** The name as Kubernetes spells it when it is a known reason, else as typed. */
    public static String spelled(String typed) {
        return canonical(typed).orElse(typed);
    }

    /**
     * The known reasons nearest to {@code typed} by edit distance, ignoring case; the closest first, and of equal
     * distance the one that starts alike.
     */
    public static List<String> closest(String typed, int limit) {
        String lower = typed.toLowerCase(Locale.ROOT);
        return BY_LOWER_CASE.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, String>>comparingInt(e -> distance(lower, e.getKey()))
                        .thenComparing(e -> -commonPrefix(lower, e.getKey()))
                        .thenComparing(Map.Entry::getValue))
                .limit(limit)
                .map(Map.Entry::getValue)
                .toList();
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
