package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.NodeStage;
import io.edgefleet.cluster.repository.NodeTarget;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.kit.scheduling.JobLock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The periodic part of orchestration: commands whose gateway stayed silent past the timeout fail
 * (task and cluster), nodes down past {@code cluster.node-repair-after} are started again ({@link NodeHealth}), and
 * active clusters that nothing moved for a while are reconciled again (a safety net: every change already
 * reconciles in its own transaction). One transaction per cluster, each with the cluster locked and its state read
 * again under the lock, so a tick never repeats what a report or another tick did meanwhile. One instance of the
 * service ticks at a time ({@link JobLock}).
 */
@ApplicationScoped
public class Ticker {

    private static final Logger LOG = Logger.getLogger(Ticker.class);
    private static final int BATCH = 200;
    private static final Duration QUIET = Duration.ofMinutes(1);

    @Inject
    ReportHandler reports;

    @Inject
    Orchestrator orchestrator;

    @Inject
    ClusterConfig config;

    @Inject
    JobLock jobs;

    private volatile Instant lastSafetyNet;

    @Scheduled(
            identity = "cluster-tick",
            every = "${cluster.tick-interval:5s}",
            delayed = "${cluster.tick-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return jobs.alone("cluster-tick", () -> timeOuts().chain(this::repairs).chain(this::stalled))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("orchestration tick failed (the next one retries): %s", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    /** Fails every command silent for longer than the timeout. Returns how many. */
    public Uni<Integer> timeOuts() {
        Instant deadline = Instant.now().minus(config.commandTimeout());
        return Panache.withSession(() -> ProvisioningTask.<ProvisioningTask>find(
                                "status = ?1 and commandId is not null and lastReportAt < ?2 order by lastReportAt",
                                TaskStatus.RUNNING,
                                deadline)
                        .page(0, BATCH)
                        .list())
                .chain(silent -> Multi.createFrom()
                        .iterable(silent)
                        .onItem()
                        .transformToUniAndConcatenate(
                                t -> Panache.withTransaction(() -> reports.timeOut(t.clusterId, t.commandId, deadline)))
                        .collect()
                        .asList()
                        .map(List::size));
    }

    /**
     * Clusters (that may repair) with a node down past the grace period and no command for it under way: their health
     * is assessed again under the lock, which starts those nodes. Returns how many clusters.
     */
    public Uni<Integer> repairs(int ignored) {
        Instant due = Instant.now().minus(config.nodeRepairAfter());
        return Panache.withSession(() -> Cluster.<Cluster>find(
                                "status in ?1 and id in (select n.clusterId from ClusterNode n where n.downSince <= ?2"
                                        + " and n.awaitingCommand is null and n.broken = false and n.target = ?3"
                                        + " and n.stage = ?4) order by updatedAt",
                                List.of(ClusterStatus.PROVISIONING, ClusterStatus.UPDATING, ClusterStatus.RUNNING),
                                due,
                                NodeTarget.PRESENT,
                                NodeStage.RUNNING)
                        .page(0, BATCH)
                        .list())
                .chain(clusters -> Multi.createFrom()
                        .iterable(clusters)
                        .onItem()
                        .transformToUniAndConcatenate(c -> Panache.withTransaction(() -> Cluster.lock(c.id)
                                .chain(locked -> locked == null
                                        ? Uni.createFrom().voidItem()
                                        : Orchestrator.nodesOf(locked.id)
                                                .chain(nodes -> orchestrator.health(locked, nodes)))))
                        .collect()
                        .asList()
                        .map(List::size));
    }

    /** Once per {@link #QUIET}: reconciles active clusters that nothing changed for that long. */
    private Uni<Integer> stalled(int ignored) {
        Instant now = Instant.now();
        if (lastSafetyNet != null && lastSafetyNet.isAfter(now.minus(QUIET))) {
            return Uni.createFrom().item(0);
        }
        lastSafetyNet = now;
        Instant quietSince = now.minus(QUIET);
        return Panache.withSession(() -> Cluster.<Cluster>find(
                                "status in ?1 and updatedAt < ?2 order by updatedAt",
                                List.of(
                                        ClusterStatus.PENDING,
                                        ClusterStatus.PROVISIONING,
                                        ClusterStatus.UPDATING,
                                        ClusterStatus.DELETING),
                                quietSince)
                        .page(0, BATCH)
                        .list())
                .chain(clusters -> Multi.createFrom()
                        .iterable(clusters)
                        .onItem()
                        .transformToUniAndConcatenate(c -> Panache.withTransaction(() -> Cluster.lock(c.id)
                                .chain(locked ->
                                        locked == null ? Uni.createFrom().voidItem() : orchestrator.reconcile(locked))))
                        .collect()
                        .asList()
                        .map(List::size));
    }
}
