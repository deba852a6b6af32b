package io.edgefleet.cluster.service;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.messaging.out.RolloutEventPublisher;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.KnownAppliance;
import io.edgefleet.cluster.repository.Rollout;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.cluster.rollout.ClusterCondition;
import io.edgefleet.cluster.rollout.RolloutPlan;
import io.edgefleet.cluster.rollout.RolloutPlanner;
import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.rollout.Target;
import io.edgefleet.cluster.rollout.TargetState;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.ClusterHealth;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.scheduling.JobLock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives rollouts: every {@code cluster.rollout-interval} (one instance at a time, {@link JobLock}) each rollout that
 * is RUNNING, or in any status still has clusters ROLLING or ROLLING_BACK, gets one {@link RolloutPlanner} pass, applied in one transaction with the
 * rollout locked: the targets' new states, each start through the same change as {@code PUT /v1/clusters/{id}/profile}
 * (the cluster takes the rollout's profile version, keeping its add-ons and overrides), the rollout's pause or
 * completion, and their events (a target moving to SCANNING with its scan request to policy-service; a request with no
 * run seen sent again). A target's row moves to ROLLING in the transaction that changes its cluster, so after a
 * restart the rows say what was started and nothing is started twice.
 */
@ApplicationScoped
public class RolloutRunner {

    private static final Logger LOG = Logger.getLogger(RolloutRunner.class);

    @Inject
    ClusterService clusters;

    @Inject
    RolloutEventPublisher events;

    @Inject
    JobLock jobs;

    @Inject
    ClusterConfig config;

    @Scheduled(
            identity = "rollout-tick",
            every = "${cluster.rollout-interval:5s}",
            delayed = "${cluster.rollout-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return jobs.alone("rollout-tick", this::passAll)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("rollout tick failed (the next one retries): %s", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    /** One pass of every rollout with work left, each in its own transaction. */
    public Uni<Void> passAll() {
        return Panache.withSession(() -> Rollout.<Rollout>list(
                                "from Rollout r where r.status = ?1 or exists (select 1 from RolloutTarget t"
                                        + " where t.rolloutId = r.id and t.state in ?2) order by r.createdAt",
                                RolloutStatus.RUNNING,
                                List.of(TargetState.ROLLING, TargetState.ROLLING_BACK, TargetState.SCANNING))
                        .map(rs -> rs.stream().map(r -> r.id).toList()))
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> Panache.withTransaction(() -> pass(id))
                                .onFailure()
                                .recoverWithItem(e -> {
                                    LOG.warnf("rollout %s: pass failed (the next tick retries): %s", id, e.toString());
                                    return null;
                                }))
                        .collect()
                        .asList())
                .replaceWithVoid();
    }

    private Uni<Void> pass(UUID id) {
        return Rollout.<Rollout>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(r -> RolloutTarget.<RolloutTarget>list("rolloutId = ?1 order by position", r.id)
                        .chain(targets -> Cluster.<Cluster>list(
                                        "id in ?1",
                                        targets.stream().map(t -> t.clusterId).toList())
                                .chain(cs -> online(r.tenant, cs).chain(online -> {
                                    Map<String, Cluster> byId =
                                            cs.stream().collect(Collectors.toMap(c -> c.id, Function.identity()));
                                    Instant now = Instant.now();
                                    List<Target> seen = targets.stream()
                                            .map(t -> new Target(
                                                    t.clusterId,
                                                    t.wave,
                                                    t.state,
                                                    t.since,
                                                    byId.get(t.clusterId).poolAppliances().stream()
                                                            .allMatch(online::contains),
                                                    byId.get(t.clusterId).maintenanceWindow,
                                                    condition(byId.get(t.clusterId)),
                                                    t.state == TargetState.SCANNING ? t.scanOutcome() : null))
                                            .toList();
                                    RolloutPlan plan = RolloutPlanner.plan(
                                            r.status,
                                            r.strategy,
                                            seen,
                                            r.acceptedFailures,
                                            now,
                                            config.scanResendInterval());
                                    return apply(r, targets, byId, plan, now);
                                }))));
    }

    private Uni<Void> apply(
            Rollout r, List<RolloutTarget> targets, Map<String, Cluster> clustersById, RolloutPlan plan, Instant now) {
        if (plan.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, RolloutTarget> byId =
                targets.stream().collect(Collectors.toMap(t -> t.clusterId, Function.identity()));
        List<Uni<Void>> steps = new ArrayList<>();
        for (RolloutPlan.Change c : plan.changes()) {
            RolloutTarget t = byId.get(c.clusterId());
            steps.add(Uni.createFrom()
                    .deferred(() -> c.to() == TargetState.ROLLING
                            ? start(r, t, clustersById.get(t.clusterId), c.reason(), now)
                            : c.to() == TargetState.SCANNING
                                    ? requestScan(r, t, c.reason(), now)
                                    : Uni.createFrom().item(() -> {
                                        move(t, c.to(), c.reason(), now);
                                        return null;
                                    })));
        }
        for (String clusterId : plan.scanResends()) {
            RolloutTarget t = byId.get(clusterId);
            steps.add(Uni.createFrom().deferred(() -> {
                t.scanSentAt = now;
                LOG.infof(
                        "rollout %s: no run for scan request %s of cluster %s yet; sent again",
                        r.id, t.scanRequestId, clusterId);
                return events.scanRequested(r, t);
            }));
        }
        return Multi.createFrom()
                .iterable(steps)
                .onItem()
                .transformToUniAndConcatenate(Function.identity())
                .collect()
                .asList()
                .chain(() -> {
                    if (plan.changes().isEmpty() && plan.pauseReason() == null && !plan.completed()) {
                        return Uni.createFrom().voidItem(); // only scan requests sent again: the rollout is as it was
                    }
                    String type = EventTypes.ROLLOUT_PROGRESSED;
                    if (plan.pauseReason() != null) {
                        r.status = RolloutStatus.PAUSED;
                        r.statusReason = plan.pauseReason();
                        type = EventTypes.ROLLOUT_PAUSED;
                    } else if (plan.completed()) {
                        r.status = RolloutStatus.COMPLETED;
                        r.statusReason = null;
                        type = EventTypes.ROLLOUT_COMPLETED;
                    }
                    r.updatedAt = now;
                    LOG.infof(
                            "rollout %s: %d cluster(s) moved%s",
                            r.id, plan.changes().size(), r.status == RolloutStatus.RUNNING ? "" : ", now " + r.status);
                    return events.publish(r, RolloutService.counts(targets), type);
                });
    }

    /**
     * Starts one cluster's change (as {@code PUT …/profile} does, in this transaction). A change the cluster refuses
     * (its definition does not render with the new profile) fails the target with the reason, not the pass.
     */
    private Uni<Void> start(Rollout r, RolloutTarget t, Cluster cluster, String reason, Instant now) {
        return clusters.changeProfile(r.tenant, cluster.id, r.profileId, cluster.addonProfileIds(), cluster.packValues)
                .invoke(() -> {
                    move(t, TargetState.ROLLING, reason, now);
                    t.startedAt = now;
                })
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> {
                    move(t, TargetState.FAILED, "the cluster refused the change: " + e.getMessage(), now);
                    return null;
                })
                .replaceWithVoid();
    }

    /**
     * The target passed the health gate and the rollout has a scan in it: SCANNING, and the request to policy-service
     * in this transaction (outbox), so a restart loses neither.
     */
    private Uni<Void> requestScan(Rollout r, RolloutTarget t, String reason, Instant now) {
        move(t, TargetState.SCANNING, reason, now);
        t.scanRequestId = UUID.randomUUID().toString();
        t.scanSentAt = now;
        t.scanRunId = null;
        t.scanStatus = null;
        t.scanReason = null;
        t.scanPassed = null;
        t.scanFailed = null;
        t.scanWarned = null;
        t.scanError = null;
        return events.scanRequested(r, t);
    }

    private static void move(RolloutTarget t, TargetState to, String reason, Instant now) {
        t.state = to;
        t.reason = reason;
        t.since = now;
        if (to.finished()) {
            t.finishedAt = now;
        }
    }

    /** Uids of the tenant's appliances that are READY (reachable) now. */
    private static Uni<Set<String>> online(String tenant, List<Cluster> cs) {
        List<String> uids =
                cs.stream().flatMap(c -> c.poolAppliances().stream()).distinct().toList();
        return KnownAppliance.<KnownAppliance>list(
                        "tenant = ?1 and uid in ?2 and status = ?3", tenant, uids, ApplianceStatus.READY)
                .map(as -> as.stream().map(a -> a.uid).collect(Collectors.toSet()));
    }

    private static ClusterCondition condition(Cluster c) {
        return switch (c.status) {
            case RUNNING -> c.health == ClusterHealth.HEALTHY ? ClusterCondition.HEALTHY : ClusterCondition.SETTLING;
            case FAILED, DELETING, DELETED -> ClusterCondition.FAILED;
            case PENDING, PROVISIONING, UPDATING -> ClusterCondition.SETTLING;
        };
    }
}
