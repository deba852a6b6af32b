package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.Rollout;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.cluster.rollout.TargetState;
import io.edgefleet.events.payload.PolicyRunSnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

/**
 * policy-service's answers to a rollout's scan requests: a {@code policy.run-changed} carrying the request id of a
 * SCANNING target is recorded on it (run id, status, reason, counts), with the rollout locked so a runner pass never
 * writes over it. The next pass of the planner decides from it (HEALTHY or FAILED); nothing is decided here.
 */
@ApplicationScoped
public class RolloutScans {

    private static final Logger LOG = Logger.getLogger(RolloutScans.class);

    /** In the event's transaction; an answer of another tenant, to no target, or after the gate decided is ignored. */
    public Uni<Void> record(String tenant, PolicyRunSnapshot run) {
        return RolloutTarget.<RolloutTarget>find("scanRequestId", run.requestId())
                .firstResult()
                .chain(found -> found == null
                        ? Uni.createFrom().voidItem()
                        : Rollout.<Rollout>findById(found.rolloutId, LockModeType.PESSIMISTIC_WRITE)
                                // read again under the lock: a pass may have moved it meanwhile
                                .call(r -> Panache.getSession().chain(s -> s.refresh(found)))
                                .invoke(r -> apply(r, found, tenant, run)))
                .replaceWithVoid();
    }

    private static void apply(Rollout r, RolloutTarget t, String tenant, PolicyRunSnapshot run) {
        if (!r.tenant.equals(tenant) || t.state != TargetState.SCANNING || !t.clusterId.equals(run.clusterId())) {
            return;
        }
        boolean ended = t.scanStatus != null && !t.scanStatus.equals("RUNNING");
        if (ended) {
            return; // an answer already ended it: a repeat says nothing new
        }
        t.scanRunId = run.id();
        t.scanStatus = run.status();
        t.scanReason = run.reason();
        if (run.scan() != null) {
            t.scanPassed = run.scan().passed();
            t.scanFailed = run.scan().failed();
            t.scanWarned = run.scan().warned();
            t.scanError = run.scan().error();
        }
        LOG.infof("rollout %s: scan of cluster %s is run %s, %s", r.id, t.clusterId, run.id(), run.status());
    }
}
