package io.edgefleet.cluster.orchestration;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.events.EventTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Applies a poll's worth of gateway reports in the consumer's one transaction (each report's own effect, as
 * {@link ReportHandler} applies one): first the progress not worth a rewrite is dropped ({@link ProgressTriage}, one
 * read for all of it), then the clusters the rest are about are locked in one statement, in id order — so two
 * batches (two instances, or a batch and a REST call) never wait on each other in a circle —, then every report is
 * applied in poll order (per partition, i.e. per appliance: as written).
 */
@ApplicationScoped
public class ReportBatch {

    private static final Logger LOG = Logger.getLogger(ReportBatch.class);

    /** A report of the batch: what it is about, and its effect (applied after the batch's locks are taken). */
    public record Report(String type, String clusterId, String commandId, String step, Supplier<Uni<Void>> effect) {}

    @Inject
    ClusterConfig config;

    @Inject
    MeterRegistry metrics;

    public Uni<Void> apply(List<Report> reports) {
        Set<String> results = reports.stream()
                .filter(r -> EventTypes.COMMAND_COMPLETED.equals(r.type()) && r.commandId() != null)
                .map(Report::commandId)
                .collect(Collectors.toSet());
        List<String> progressed = reports.stream()
                .filter(r -> EventTypes.COMMAND_PROGRESS.equals(r.type()) && r.commandId() != null)
                .map(Report::commandId)
                .filter(id -> !results.contains(id))
                .distinct()
                .toList();
        return tasksNow(progressed).chain(tasks -> {
            Instant now = Instant.now();
            List<Report> kept = reports.stream()
                    .filter(r -> !EventTypes.COMMAND_PROGRESS.equals(r.type())
                            || ProgressTriage.worthApplying(
                                    r.commandId(),
                                    r.step(),
                                    tasks.get(r.commandId()),
                                    results,
                                    config.commandTimeout(),
                                    now))
                    .toList();
            metrics.counter("edgefleet.cluster.progress.skipped").increment(reports.size() - kept.size());
            List<String> clusters = kept.stream()
                    .map(Report::clusterId)
                    .filter(Objects::nonNull)
                    .distinct()
                    .sorted()
                    .toList();
            long t0 = System.nanoTime();
            return lockAll(clusters)
                    .chain(() -> Multi.createFrom()
                            .iterable(kept)
                            .onItem()
                            .transformToUniAndConcatenate(r -> r.effect().get())
                            .collect()
                            .last())
                    .invoke(() -> LOG.debugf(
                            "%d reports (%d applied, the others adding nothing) about %d clusters in %.1f ms",
                            reports.size(), kept.size(), clusters.size(), (System.nanoTime() - t0) / 1e6))
                    .replaceWithVoid();
        });
    }

    /**
     * The running state of the progressed commands' tasks, read as values (not entities: the session must not hold
     * them unlocked, the reports read them again under their cluster's lock).
     */
    private static Uni<Map<String, ProgressTriage.TaskNow>> tasksNow(List<String> commandIds) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select t.commandId, t.status, t.lastReportAt from ProvisioningTask t"
                                        + " where t.commandId in :ids",
                                Object[].class)
                        .setParameter("ids", commandIds)
                        .getResultList())
                .map(rows -> {
                    Map<String, ProgressTriage.TaskNow> tasks = new HashMap<>();
                    for (Object[] row : rows) {
                        tasks.put((String) row[0], new ProgressTriage.TaskNow(row[1] == TaskStatus.RUNNING, (Instant)
                                row[2]));
                    }
                    return tasks;
                });
    }

    /** Locks the clusters in id order (each report's own {@code Cluster.lock} then finds it locked in the session). */
    private static Uni<Void> lockAll(List<String> clusterIds) {
        if (clusterIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Cluster.<Cluster>find("id in ?1 order by id", clusterIds)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list()
                .replaceWithVoid();
    }
}
