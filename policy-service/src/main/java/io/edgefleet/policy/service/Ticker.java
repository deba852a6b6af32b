package io.edgefleet.policy.service;

import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.policy.config.PolicyConfig;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunNode.NodeTaskStatus;
import io.edgefleet.policy.repository.RunStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * The periodic part: policies whose schedule is due are triggered, and commands whose gateway stayed
 * silent past the timeout fail with their run, as do OS patch runs of mode RELINK that cluster-service left
 * unanswered. One transaction per policy or command. One instance of the service ticks at a time ({@link JobLock}).
 */
@ApplicationScoped
public class Ticker {

    private static final Logger LOG = Logger.getLogger(Ticker.class);
    private static final int BATCH = 100;

    @Inject
    PolicyService policies;

    @Inject
    RunEngine runs;

    @Inject
    RelinkRuns relinkRuns;

    @Inject
    PolicyConfig config;

    @Inject
    JobLock jobs;

    @Scheduled(
            identity = "policy-tick",
            every = "${policy.tick-interval:10s}",
            delayed = "${policy.tick-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return jobs.alone(
                        "policy-tick",
                        () -> dueSchedules().chain(this::timeOuts).chain(this::osPatchTimeOuts))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("policy tick failed (the next one retries): %s", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    /** Triggers every policy whose next run time has come. Returns how many. */
    public Uni<Integer> dueSchedules() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Policy.<Policy>find("nextRunAt <= ?1 order by nextRunAt", now)
                        .page(0, BATCH)
                        .list())
                .chain(due -> Multi.createFrom()
                        .iterable(due)
                        .onItem()
                        .transformToUniAndConcatenate(p -> Panache.withTransaction(() -> policies.fireIfDue(p.id, now))
                                .onFailure()
                                .recoverWithItem(e -> {
                                    LOG.warnf(
                                            "policy %s could not be triggered (retried next tick): %s",
                                            p.id, e.toString());
                                    return null;
                                }))
                        .collect()
                        .asList()
                        .map(List::size));
    }

    /** OS patch runs of mode RELINK that cluster-service has not answered in time. */
    private Uni<Integer> osPatchTimeOuts(int ignored) {
        Instant deadline = Instant.now().minus(config.osPatchTimeout());
        return Panache.withSession(() -> Run.<Run>find(
                                "kind = ?1 and status = ?2 and createdAt < ?3 order by createdAt",
                                RunKind.OS_PATCH,
                                RunStatus.RUNNING,
                                deadline)
                        .page(0, BATCH)
                        .list())
                .chain(silent -> Multi.createFrom()
                        .iterable(silent.stream().filter(RelinkRuns::isRelink).toList())
                        .onItem()
                        .transformToUniAndConcatenate(r -> Panache.withTransaction(
                                () -> relinkRuns.timeOut(r.id, deadline, config.osPatchTimeout())))
                        .collect()
                        .asList()
                        .map(List::size));
    }

    private Uni<Integer> timeOuts(int ignored) {
        Instant deadline = Instant.now().minus(config.commandTimeout());
        return Panache.withSession(() -> RunNode.<RunNode>find(
                                "status in ?1 and lastReportAt < ?2 order by lastReportAt",
                                List.of(NodeTaskStatus.SENT, NodeTaskStatus.RUNNING),
                                deadline)
                        .page(0, BATCH)
                        .list())
                .chain(silent -> Multi.createFrom()
                        .iterable(silent)
                        .onItem()
                        .transformToUniAndConcatenate(t -> Panache.withTransaction(() -> runs.timeOut(t.id, deadline)))
                        .collect()
                        .asList()
                        .map(List::size));
    }
}
