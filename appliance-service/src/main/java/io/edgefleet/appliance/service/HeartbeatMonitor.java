package io.edgefleet.appliance.service;

import io.edgefleet.appliance.link.EdgeLinkStatus;
import io.edgefleet.kit.scheduling.JobLock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Turns READY appliances whose gateway missed the heartbeat deadline UNREACHABLE. The first sweep
 * waits one timeout after start, so reports queued while this service was down are read first. One instance of the
 * service sweeps at a time ({@link JobLock}); an appliance's version column keeps a concurrent report (or sweep) from
 * being overwritten.
 * <p>
 * Silence counts only while the edge link is trusted ({@link EdgeLinkStatus}, link/LinkGrace): while a bridge is not
 * linked to the edge broker, or linked only recently, the sweep is skipped, so a broker restart or a bridge outage
 * turns no appliance UNREACHABLE.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private static final Logger LOG = Logger.getLogger(HeartbeatMonitor.class);
    private static final int BATCH = 500;

    @Inject
    ApplianceService appliances;

    @Inject
    JobLock jobs;

    @Inject
    EdgeLinkStatus link;

    @Scheduled(
            identity = "heartbeat-monitor",
            every = "${appliance.heartbeat.check-interval:5s}",
            delayed = "${appliance.heartbeat.timeout:90s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return jobs.alone(
                        "heartbeat-monitor",
                        () -> Panache.withSession(() -> link.verdict())
                                .chain(verdict -> verdict.sweep()
                                        ? appliances.markSilentUnreachable(BATCH)
                                        : Uni.createFrom().item(0)))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("heartbeat sweep failed (next sweep retries): %s", e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }
}
