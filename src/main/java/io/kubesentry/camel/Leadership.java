package io.kubesentry.camel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubesentry.camel.watch.WatchStatus;
import io.kubesentry.config.LeaderElection;
import io.kubesentry.filter.OccurrenceFilter;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;

/**
 * The {@code leaderOnly} route policy of the watch routes. With leader election on, the watches run only in the
 * replica that holds the Lease (camel-kubernetes' cluster service); a replica that takes over reports what was
 * last seen after the old leader's Lease could have run out, so the last hour is not alerted again. Off, the
 * policy does nothing.
 */
final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    static final String MEMBER_LABEL = "app.kubernetes.io/name";

    private Leadership() {
    }

    static RoutePolicy none() {
        return new RoutePolicySupport() {
        };
    }

    /**
     * Camel names a group's Lease {@code <resource name>-<group>}: with this one group, the Lease is
     * {@code <KUBE_SENTRY_LEASE_NAME>-leader}, the name the chart's and manifests' Role grants get and update on.
     */
    static final String LEASE_GROUP = "leader";

    static RoutePolicy leaderOnly(CamelContext camelContext, KubernetesClient client, LeaderElection election,
            OccurrenceFilter filter, Clock clock, WatchStatus watches) throws Exception {
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setKubernetesClient(client);
        KubernetesClusterService cluster = new KubernetesClusterService(configuration);
        cluster.setId("kube-sentry-events-lease");
        cluster.setLeaseResourceType(LeaseResourceType.Lease);
        cluster.setKubernetesResourcesNamespace(election.namespace());
        cluster.setKubernetesResourceName(election.leaseName());
        cluster.setPodName(election.podName());
        // the candidates: running, ready pods of the agent in the Lease's namespace
        cluster.setClusterLabels(Map.of(MEMBER_LABEL, "kube-sentry-events"));
        long lease = election.leaseDuration().toMillis();
        cluster.setLeaseDurationMillis(lease);
        cluster.setRenewDeadlineMillis(lease * 2 / 3);
        cluster.setRetryPeriodMillis(Math.max(500, lease / 5));
        camelContext.addService(cluster);
        watches.standby(true); // until this replica leads, its watches are stopped and it is ready without them
        cluster.getView(LEASE_GROUP).addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> {
            watches.standby(leader == null || !leader.isLocal());
            if (leader != null && leader.isLocal()) {
                filter.notBefore(clock.instant().minus(election.leaseDuration()));
                LOG.info("This replica ({}) leads: watching the cluster", election.podName());
            }
        });
        return ClusteredRoutePolicy.forNamespace(cluster, LEASE_GROUP);
    }
}
