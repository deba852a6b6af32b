package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.events.payload.ClusterStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's progress as a live feed: its tasks (each start and end, in the order they changed) and its
 * status changes. It follows the database, not this instance's memory, so a subscriber sees the work of
 * every instance of the service; a change number per task change lets a client resume where it stopped.
 * The feed ends once the cluster is DELETED.
 */
@ApplicationScoped
public class TaskFeed {

    static final Duration POLL = Duration.ofMillis(300);
    private static final int BATCH = 500;

    @Inject
    Pool pool;

    /** A feed entry: a task as it is now (with its change number), or the cluster's status. */
    public sealed interface Item permits TaskChanged, StatusChanged, End {}

    public record TaskChanged(long changeNo, ProvisioningTask task) implements Item {}

    public record StatusChanged(
            String clusterId, ClusterStatus status, String statusReason, long revision, Instant updatedAt)
            implements Item {}

    record End() implements Item {}

    /** Whether the tenant has this cluster (the stream's head is written before its first item: check first). */
    public Uni<Boolean> exists(String tenant, String clusterId) {
        return pool.preparedQuery("select 1 from cluster where id = $1 and tenant = $2")
                .execute(Tuple.of(clusterId, tenant))
                .map(rows -> rows.size() > 0);
    }

    /** Everything after change {@code afterChange} (0: from the start), then live. */
    public Multi<Item> follow(String clusterId, long afterChange) {
        Cursor cursor = new Cursor(afterChange);
        return Multi.createFrom()
                .ticks()
                .every(POLL)
                .onOverflow()
                .drop()
                .onItem()
                .transformToUniAndConcatenate(tick -> poll(clusterId, cursor))
                .onItem()
                .transformToIterable(items -> items)
                .select()
                .first(item -> !(item instanceof End));
    }

    private static final class Cursor {
        long change;
        long revision = -1;
        boolean ended;

        Cursor(long change) {
            this.change = change;
        }
    }

    private Uni<List<Item>> poll(String clusterId, Cursor cursor) {
        return pool.preparedQuery(
                        "select seq, kind, node_id, appliance_uid, command_id, status, message, started_at, finished_at,"
                                + " change_no from cluster_task where cluster_id = $1 and change_no > $2 order by change_no limit "
                                + BATCH)
                .execute(Tuple.of(clusterId, cursor.change))
                .chain(tasks -> pool.preparedQuery(
                                "select status, status_reason, revision, updated_at from cluster where id = $1")
                        .execute(Tuple.of(clusterId))
                        .map(clusters -> {
                            List<Item> items = new ArrayList<>();
                            for (Row row : tasks) {
                                ProvisioningTask t = task(clusterId, row);
                                cursor.change = Math.max(cursor.change, t.changeNo);
                                items.add(new TaskChanged(t.changeNo, t));
                            }
                            for (Row row : clusters) {
                                long revision = row.getLong("revision");
                                ClusterStatus status = ClusterStatus.valueOf(row.getString("status"));
                                if (revision != cursor.revision) {
                                    cursor.revision = revision;
                                    items.add(new StatusChanged(
                                            clusterId,
                                            status,
                                            row.getString("status_reason"),
                                            revision,
                                            instant(row.getOffsetDateTime("updated_at"))));
                                }
                                // one more poll after DELETED: tasks written in the same transaction are out by then
                                if (status == ClusterStatus.DELETED && tasks.size() < BATCH) {
                                    if (cursor.ended) {
                                        items.add(new End());
                                    }
                                    cursor.ended = true;
                                }
                            }
                            return items;
                        }));
    }

    private static ProvisioningTask task(String clusterId, Row row) {
        ProvisioningTask t = new ProvisioningTask();
        t.clusterId = clusterId;
        t.seq = row.getLong("seq");
        t.kind = row.getString("kind");
        t.nodeId = row.getString("node_id");
        t.applianceUid = row.getString("appliance_uid");
        t.commandId = row.getString("command_id");
        t.status = TaskStatus.valueOf(row.getString("status"));
        t.message = row.getString("message");
        t.startedAt = instant(row.getOffsetDateTime("started_at"));
        t.finishedAt = instant(row.getOffsetDateTime("finished_at"));
        t.changeNo = row.getLong("change_no");
        return t;
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
