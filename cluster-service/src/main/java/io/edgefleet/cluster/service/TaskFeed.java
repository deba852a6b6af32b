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

        Cursor(long change) {
            this.change = change;
        }
    }

    /*
     * One statement, so one snapshot: a transaction that finishes a task and moves the cluster's status (the last
     * create and RUNNING) is either wholly in it or not at all. Two reads could see the status without the task, and a
     * client that stops at the status (RUNNING) would miss the task.
     */
    private static final String POLL_SQL = """
            select c.status as cluster_status, c.status_reason, c.revision, c.updated_at,
                   t.seq, t.kind, t.node_id, t.appliance_uid, t.command_id, t.status, t.message, t.started_at,
                   t.finished_at, t.change_no
            from cluster c
            left join lateral (select * from cluster_task
                               where cluster_id = c.id and change_no > $2 order by change_no limit %d) t on true
            where c.id = $1
            order by t.change_no
            """.formatted(BATCH);

    private Uni<List<Item>> poll(String clusterId, Cursor cursor) {
        return pool.preparedQuery(POLL_SQL)
                .execute(Tuple.of(clusterId, cursor.change))
                .map(rows -> {
                    List<Item> items = new ArrayList<>();
                    Row cluster = null;
                    int tasks = 0;
                    for (Row row : rows) {
                        cluster = row;
                        if (row.getLong("change_no") == null) {
                            continue; // no task changed: the cluster's row alone
                        }
                        tasks++;
                        ProvisioningTask t = task(clusterId, row);
                        cursor.change = Math.max(cursor.change, t.changeNo);
                        items.add(new TaskChanged(t.changeNo, t));
                    }
                    if (cluster == null || tasks == BATCH) {
                        return items; // more task changes wait: the status goes out after them, with the last batch
                    }
                    long revision = cluster.getLong("revision");
                    ClusterStatus status = ClusterStatus.valueOf(cluster.getString("cluster_status"));
                    if (revision != cursor.revision) {
                        cursor.revision = revision;
                        items.add(new StatusChanged(
                                clusterId,
                                status,
                                cluster.getString("status_reason"),
                                revision,
                                instant(cluster.getOffsetDateTime("updated_at"))));
                    }
                    if (status == ClusterStatus.DELETED) {
                        items.add(new End()); // every task written up to the deletion is in this snapshot
                    }
                    return items;
                });
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
