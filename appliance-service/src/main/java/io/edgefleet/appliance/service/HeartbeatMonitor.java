package io.edgefleet.appliance.service;

import io.edgefleet.kit.scheduling.JobLock;
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
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private static final Logger LOG = Logger.getLogger(HeartbeatMonitor.class);
    private static final int BATCH = 500;

    @Inject
    ApplianceService appliances;

    @Inject
    JobLock jobs;

    @Scheduled(
            identity = "heartbeat-monitor",
            every = "${appliance.heartbeat.check-interval:5s}",
            delayed = "${appliance.heartbeat.timeout:90s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return jobs.alone("heartbeat-monitor", () -> appliances.markSilentUnreachable(BATCH))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("heartbeat sweep failed (next sweep retries): %s", e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }
}
