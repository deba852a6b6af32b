package io.edgefleet.appliance.service;

import io.edgefleet.appliance.link.EdgeLinkStatus;
import io.edgefleet.kit.scheduling.JobLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * <p>
 * The same sweep turns appliances whose gateway's link-lost will was taken (and settled) UNREACHABLE first, under the
 * same grace (link/LinkLoss): a stopping broker publishes every client's will at once.
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

    @Inject
    MeterRegistry metrics;

    private void countLinkLost(int unreachable) {
        if (unreachable > 0) {
            Counter.builder("edgefleet.appliance.link.lost.unreachable")
                    .description("Appliances turned UNREACHABLE by their gateway's link-lost will (not by silence)")
                    .register(metrics)
                    .increment(unreachable);
        }
    }

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
                                        ? appliances
                                                .markLinkLostUnreachable(BATCH)
                                                .invoke(this::countLinkLost)
                                                .chain(() -> appliances.markSilentUnreachable(BATCH))
                                        : Uni.createFrom().item(0)))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("heartbeat sweep failed (next sweep retries): %s", e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }
}
