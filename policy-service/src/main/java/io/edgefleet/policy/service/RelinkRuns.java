package io.edgefleet.policy.service;

import io.edgefleet.events.payload.OsPatchFinished;
import io.edgefleet.policy.messaging.out.PolicyEventPublisher;
import io.edgefleet.policy.repository.OsPatchResult;
import io.edgefleet.policy.repository.PatchMode;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * OS patch runs of mode RELINK: no node commands. The run asks cluster-service (os-patch-requested) to roll the
 * cluster onto the newest OS release of its train and stays RUNNING, keeping other runs off the cluster, until
 * the answer (os-patch-finished, by run id) or the timeout. Runs in the caller's transaction.
 */
@ApplicationScoped
public class RelinkRuns {

    private static final Logger LOG = Logger.getLogger(RelinkRuns.class);

    @Inject
    PolicyEventPublisher events;

    public static boolean isRelink(Run run) {
        return run.kind == RunKind.OS_PATCH
                && run.detail.patch() != null
                && run.detail.patch().mode() == PatchMode.RELINK;
    }

    /** Starts the run (the caller checked the cluster and overlaps): the request goes out with the run's start. */
    public Uni<Run> begin(Run run) {
        run.status = RunStatus.RUNNING;
        return run.<Run>persist()
                .chain(() -> events.run(run))
                .chain(() -> events.osPatchRequested(run))
                .replaceWith(run);
    }

    /** cluster-service's answer: the run ends with it (a repeat, or an answer after the timeout, changes nothing). */
    public Uni<Void> onFinished(String tenant, OsPatchFinished answer) {
        UUID runId;
        try {
            runId = UUID.fromString(answer.runId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().voidItem(); // not one of ours
        }
        return Run.lock(runId).chain(run -> {
            if (run == null
                    || !run.tenant.equals(tenant)
                    || !isRelink(run)
                    || !run.clusterId.equals(answer.clusterId())) {
                LOG.warnf(
                        "ignoring os-patch-finished for run %s of cluster %s (tenant %s): no such OS patch run",
                        answer.runId(), answer.clusterId(), tenant);
                return Uni.createFrom().voidItem();
            }
            if (run.status != RunStatus.RUNNING) {
                return Uni.createFrom().voidItem();
            }
            run.osPatch = new OsPatchResult(answer.fromVersion(), answer.toVersion(), answer.message());
            boolean ok = answer.outcome() == OsPatchFinished.Outcome.SUCCEEDED;
            return end(run, ok ? RunStatus.SUCCEEDED : RunStatus.FAILED, ok ? null : answer.message());
        });
    }

    /** Fails the run if cluster-service has not answered since {@code deadline}. */
    public Uni<Void> timeOut(UUID runId, Instant deadline, Duration timeout) {
        return Run.lock(runId).chain(run -> {
            if (run == null || run.status != RunStatus.RUNNING || !isRelink(run) || run.createdAt.isAfter(deadline)) {
                return Uni.createFrom().voidItem();
            }
            return end(
                    run,
                    RunStatus.FAILED,
                    "no answer from cluster-service to the OS patch request within " + timeout
                            + " (is cluster-service down, or the cluster still rolling?)");
        });
    }

    private Uni<Void> end(Run run, RunStatus status, String reason) {
        run.status = status;
        run.reason = reason;
        run.finishedAt = Instant.now();
        LOG.infof(
                "run %s (OS_PATCH, RELINK) on cluster %s %s%s",
                run.id, run.clusterId, status, reason == null ? "" : ": " + reason);
        return events.run(run);
    }
}
