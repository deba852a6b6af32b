package io.edgefleet.policy.service;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.policy.messaging.out.PolicyEventPublisher;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.store.ObjectStore;
import io.edgefleet.policy.store.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Deletes archives from the object stores: backups beyond their policy's retention (count per cluster, and
 * age) become EXPIRED, and what a FAILED backup uploaded is removed. The store is called outside any
 * transaction (blocking, on a worker thread); a store that cannot be reached keeps the backup as it is,
 * and the next sweep tries again. One instance of the service sweeps at a time ({@link JobLock}); a backup whose
 * archives another sweep already deleted is left as it is (no second event).
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    /** SUCCEEDED backups beyond the retention of the run's policy settings, and FAILED backups not cleaned yet. */
    private static final String DUE = """
            select r.id from run r
            where r.kind = 'BACKUP' and r.objects_deleted_at is null and r.finished_at is not null
              and (r.status = 'FAILED'
                or (r.status = 'SUCCEEDED' and (
                      ((r.detail->'backup'->'retention'->>'maxAgeDays')::int > 0
                        and r.finished_at < now() - make_interval(days => (r.detail->'backup'->'retention'->>'maxAgeDays')::int))
                   or (select count(*) from run n
                        where n.kind = 'BACKUP' and n.status = 'SUCCEEDED' and n.policy_id = r.policy_id
                          and n.cluster_id = r.cluster_id and n.finished_at > r.finished_at)
                      >= (r.detail->'backup'->'retention'->>'count')::int)))
            order by r.finished_at
            limit 50""";

    @Inject
    ObjectStore store;

    @Inject
    SecretBox secrets;

    @Inject
    PolicyEventPublisher events;

    @Inject
    JobLock jobs;

    @Scheduled(
            identity = "backup-retention",
            every = "${policy.retention-interval:1m}",
            delayed = "${policy.tick-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() throws Throwable {
        Throwable[] failure = new Throwable[1];
        jobs.aloneBlocking("backup-retention", () -> {
            try {
                sweepDue();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void sweepDue() throws Throwable {
        List<UUID> due = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(DUE, UUID.class).getResultList())));
        for (UUID id : due) {
            Run run = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Run.<Run>findById(id)));
            List<String> keys =
                    VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> RunNode.ofRun(id))).stream()
                            .map(t -> t.output == null ? null : t.output.archive())
                            .filter(Objects::nonNull)
                            .map(TaskOutput.Archive::objectKey)
                            .toList();
            try {
                store.delete(run.detail.backup().store(), secrets.open(run.storeSecret), keys);
            } catch (RuntimeException e) {
                LOG.warnf("backup %s: archives not deleted yet (retried next sweep): %s", id, e.getMessage());
                continue;
            }
            VertxContextSupport.subscribeAndAwait(() ->
                    Panache.withTransaction(() -> Run.lock(id).chain(r -> {
                        if (r.objectsDeletedAt != null) {
                            return Uni.createFrom().voidItem(); // another sweep was first
                        }
                        r.objectsDeletedAt = Instant.now();
                        if (r.status != RunStatus.SUCCEEDED) {
                            return Uni.createFrom().voidItem(); // a failed backup's leftovers
                        }
                        r.status = RunStatus.EXPIRED;
                        r.reason = "deleted from the object store by the retention of policy " + r.policyName;
                        LOG.infof(
                                "backup %s of cluster %s expired: %d archive(s) deleted",
                                r.id, r.clusterId, keys.size());
                        return events.run(r, EventTypes.BACKUP_EXPIRED);
                    })));
        }
    }
}
