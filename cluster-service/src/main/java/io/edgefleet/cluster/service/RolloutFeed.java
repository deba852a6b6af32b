package io.edgefleet.cluster.service;

import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.rollout.TargetState;
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
import java.util.UUID;

/**
 * A rollout's progress as a live feed: the rollout and every cluster's state each time its revision grows (every
 * change of the rollout and of its clusters is published, and so bumps it). Like {@link TaskFeed} it follows the
 * database, so a subscriber sees the passes of whichever instance runs them. The feed ends once the rollout is
 * COMPLETED or ABORTED with no cluster still rolling or rolling back.
 */
@ApplicationScoped
public class RolloutFeed {

    static final Duration POLL = Duration.ofMillis(500);
    /** Marks the feed's end (never sent): the poll after the last word. */
    private static final Progress END = new Progress(null, null, null, 0, null, List.of());

    @Inject
    Pool pool;

    /** The rollout as it is at {@code revision}. */
    public record Progress(
            String rolloutId,
            RolloutStatus status,
            String statusReason,
            long revision,
            Instant updatedAt,
            List<ClusterProgress> clusters) {}

    public record ClusterProgress(
            String clusterId,
            int wave,
            TargetState state,
            String reason,
            Instant since,
            Instant startedAt,
            Instant finishedAt) {}

    /** Whether the tenant has this rollout (the stream's head is written before its first item: check first). */
    public Uni<Boolean> exists(String tenant, UUID id) {
        return pool.preparedQuery("select 1 from rollout where id = $1 and tenant = $2")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() > 0);
    }

    /** The rollout now unless its revision is {@code afterRevision} or less (0: from the start), then each change. */
    public Multi<Progress> follow(UUID id, long afterRevision) {
        long[] seen = {afterRevision};
        boolean[] ended = {false};
        return Multi.createFrom()
                .ticks()
                .every(POLL)
                .onOverflow()
                .drop()
                .onItem()
                .transformToUniAndConcatenate(tick -> poll(id, seen, ended))
                .onItem()
                .transformToIterable(items -> items)
                .select()
                .first(p -> p != END);
    }

    private Uni<List<Progress>> poll(UUID id, long[] seen, boolean[] ended) {
        if (ended[0]) {
            return Uni.createFrom().item(List.of(END));
        }
        return pool.preparedQuery("select status, status_reason, revision, updated_at from rollout where id = $1")
                .execute(Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(List.<Progress>of());
                    }
                    Row r = rows.iterator().next();
                    long revision = r.getLong("revision");
                    RolloutStatus status = RolloutStatus.valueOf(r.getString("status"));
                    if (revision <= seen[0] && !status.finished()) {
                        return Uni.createFrom().item(List.<Progress>of());
                    }
                    return pool.preparedQuery("select cluster_id, wave, state, reason, since, started_at, finished_at"
                                    + " from rollout_target where rollout_id = $1 order by position")
                            .execute(Tuple.of(id))
                            .map(targets -> {
                                List<ClusterProgress> clusters = new ArrayList<>();
                                for (Row t : targets) {
                                    clusters.add(new ClusterProgress(
                                            t.getString("cluster_id"),
                                            t.getInteger("wave"),
                                            TargetState.valueOf(t.getString("state")),
                                            t.getString("reason"),
                                            instant(t.getOffsetDateTime("since")),
                                            instant(t.getOffsetDateTime("started_at")),
                                            instant(t.getOffsetDateTime("finished_at"))));
                                }
                                // the last word: nothing of this rollout changes any more (a later rollback is a new
                                // change a client sees by following again)
                                ended[0] = status.finished()
                                        && clusters.stream()
                                                .noneMatch(c -> c.state().changing());
                                if (revision <= seen[0]) {
                                    return List.<Progress>of();
                                }
                                seen[0] = revision;
                                return List.of(new Progress(
                                        id.toString(),
                                        status,
                                        r.getString("status_reason"),
                                        revision,
                                        instant(r.getOffsetDateTime("updated_at")),
                                        clusters));
                            });
                });
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
