package io.kubesentry.classify;

import java.util.List;

/** The reasons kube-sentry-events reports by default: the names users see in Sentry and configure. */
public final class Reasons {

    public static final String OOM_KILLED = "OOMKilled";
    public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    public static final String FAILED_SCHEDULING = "FailedScheduling";
    public static final String EVICTED = "Evicted";
    public static final String FAILED_MOUNT = "FailedMount";
    public static final String UNHEALTHY = "Unhealthy";
    public static final String BACK_OFF = "BackOff";
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    public static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    public static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
    public static final String NODE_NOT_READY = "NodeNotReady";

    /** Watched when KUBE_SENTRY_EVENTS is not set: the seed's critical set. */
    public static final List<String> DEFAULT_CRITICAL = List.of(
            OOM_KILLED, CRASH_LOOP_BACK_OFF, FAILED_SCHEDULING, EVICTED,
            FAILED_MOUNT, UNHEALTHY, BACK_OFF, IMAGE_PULL_BACK_OFF, NODE_NOT_READY);

    /** Every reason this agent names an occurrence by. */
    public static final List<String> ALL = List.of(
            OOM_KILLED, CRASH_LOOP_BACK_OFF, FAILED_SCHEDULING, EVICTED, FAILED_MOUNT, UNHEALTHY, BACK_OFF,
            IMAGE_PULL_BACK_OFF, CREATE_CONTAINER_CONFIG_ERROR, CREATE_CONTAINER_ERROR, NODE_NOT_READY);

    private Reasons() {
    }
}
