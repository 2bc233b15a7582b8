package io.kubesentry.config;

import java.time.Duration;

/**
 * One active replica at a time, chosen through a coordination.k8s.io Lease.
 *
 * @param namespace     where the Lease lives (the agent's own namespace)
 * @param leaseName     the Lease's name, shared by the replicas
 * @param podName       this replica's identity in the Lease
 * @param leaseDuration how long a dead leader holds the Lease before another replica takes over
 */
public record LeaderElection(String namespace, String leaseName, String podName, Duration leaseDuration) {
}
