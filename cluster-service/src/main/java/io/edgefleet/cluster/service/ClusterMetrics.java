package io.edgefleet.cluster.service;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.kit.metrics.CountsByStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Arrays;

/**
 * {@code edgefleet_clusters{status}}: clusters of every tenant by status (deleted ones not counted);
 * {@code edgefleet_rollouts{status}}: rollouts by status (a PAUSED one waits for an operator).
 */
@ApplicationScoped
public class ClusterMetrics {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    private CountsByStatus clusters;
    private CountsByStatus rollouts;

    void register(@Observes StartupEvent started) {
        clusters = new CountsByStatus(
                metrics,
                "edgefleet.clusters",
                "Clusters by status",
                Arrays.stream(ClusterStatus.values())
                        .filter(s -> s != ClusterStatus.DELETED)
                        .map(Enum::name)
                        .toList(),
                "select status, count(*) from cluster where status <> 'DELETED' group by status");
        rollouts = new CountsByStatus(
                metrics,
                "edgefleet.rollouts",
                "Rollouts by status",
                Arrays.stream(RolloutStatus.values()).map(Enum::name).toList(),
                "select status, count(*) from rollout group by status");
    }

    // Reads only: runs on every instance of the service (no JobLock), each serves its own /q/metrics.
    @Scheduled(identity = "cluster-metrics", every = "${cluster.metrics-interval:15s}", delayed = "1s")
    void sample() {
        if (clusters != null) {
            clusters.sample(dataSource);
            rollouts.sample(dataSource);
        }
    }
}
