package io.edgefleet.cluster.service;

import io.edgefleet.cluster.messaging.out.RolloutEventPublisher;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.Rollout;
import io.edgefleet.cluster.repository.RolloutSelector;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.cluster.rollout.ProfileChange;
import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.rollout.RolloutStrategy;
import io.edgefleet.cluster.rollout.TargetState;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What operators do with rollouts. Each operation validates, changes the rollout and publishes it through the outbox
 * in one transaction with the rollout locked; a failure changes nothing. Starting clusters is the rollout job's.
 */
@ApplicationScoped
public class RolloutService {

    /** A cluster is in at most one rollout that is not finished. */
    private static final Set<RolloutStatus> UNFINISHED = Set.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED);

    @Inject
    Preflight preflight;

    @Inject
    RolloutEventPublisher events;

    @Inject
    ClusterService clusters;

    /** A rollout with its clusters, in rollout order. */
    public record Loaded(Rollout rollout, List<RolloutTarget> targets) {}

    @WithTransaction
    public Uni<Loaded> create(String tenant, NewRollout input, String user) {
        Validator v = new Validator();
        // an unknown profile is reported together with the selector's errors
        return preflight.profiles(tenant, input.profileId(), List.of(), v).chain(profiles -> {
            return Cluster.<Cluster>list(
                            "tenant = ?1 and status not in ?2 order by createdAt, id",
                            tenant,
                            List.of(ClusterStatus.DELETING, ClusterStatus.DELETED))
                    .chain(clusters -> {
                        List<Cluster> targets = select(clusters, input.selector(), profiles, v);
                        v.throwIfInvalid();
                        return busy(targets).chain(() -> persist(tenant, input, targets, user));
                    });
        });
    }

    /**
     * The rollout a change (re-link or update) of a ROLLOUT profile creates over {@code targets} (RUNNING clusters
     * built from it, in no unfinished rollout: {@code rollout.RelinkRoute}), named after the change, with the
     * profile's default strategy. Runs in the caller's transaction (the profile event's), published like one created
     * through the API.
     */
    public Uni<Loaded> createForChange(String tenant, ProfileChange change, List<Cluster> targets) {
        ProfileSnapshot profile = change.profile();
        String name = change.summary();
        NewRollout input = new NewRollout(
                name.length() > 100 ? name.substring(0, 100) : name,
                profile.id(),
                new RolloutSelector(
                        List.of(profile.id()),
                        Map.of(),
                        targets.stream().map(c -> c.id).toList()),
                RolloutStrategy.of(profile.rollout()));
        return persist(tenant, input, targets, Rollout.SYSTEM);
    }

    /** The selected clusters, in the order of {@code clusterIds} when given, else oldest first. */
    private static List<Cluster> select(
            List<Cluster> clusters, RolloutSelector selector, AppliedProfiles profiles, Validator v) {
        Map<String, Cluster> byId = clusters.stream()
                .collect(Collectors.toMap(c -> c.id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        for (int i = 0; i < selector.clusterIds().size(); i++) {
            String id = selector.clusterIds().get(i);
            v.require(
                    byId.containsKey(id),
                    "selector.clusterIds[" + i + "]",
                    "no cluster '" + id + "' in your tenant (or it is being deleted)");
        }
        List<Cluster> candidates = selector.clusterIds().isEmpty()
                ? clusters
                : selector.clusterIds().stream()
                        .map(byId::get)
                        .filter(c -> c != null)
                        .toList();
        List<Cluster> selected = candidates.stream()
                .filter(c ->
                        selector.profileIds().isEmpty() || selector.profileIds().contains(c.profileId))
                .filter(c -> c.tags.entrySet().containsAll(selector.tags().entrySet()))
                .toList();
        v.require(!selected.isEmpty() || v.hasErrors(), "selector", "matches no cluster of your tenant");
        for (Cluster c : profiles == null ? List.<Cluster>of() : selected) {
            v.require(
                    c.cloudType == profiles.profile().cloudType(),
                    "selector",
                    "cluster '" + c.name + "' is " + c.cloudType.value() + "; profile '"
                            + profiles.profile().name() + "' is "
                            + profiles.profile().cloudType().value());
        }
        return selected;
    }

    /** 409 when a selected cluster is in another rollout that is not finished. */
    private static Uni<Void> busy(List<Cluster> targets) {
        return RolloutTarget.<RolloutTarget>list(
                        "clusterId in ?1 and rolloutId in (select r.id from Rollout r where r.status in ?2)",
                        targets.stream().map(c -> c.id).toList(),
                        UNFINISHED)
                .invoke(taken -> {
                    if (!taken.isEmpty()) {
                        RolloutTarget t = taken.get(0);
                        throw ProblemException.conflict(
                                "selector",
                                taken.size() + " selected cluster(s) are in a rollout not finished, e.g. '"
                                        + t.clusterId + "' in rollout " + t.rolloutId);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Loaded> persist(String tenant, NewRollout input, List<Cluster> clusters, String createdBy) {
        Instant now = Instant.now();
        Rollout r = new Rollout();
        r.id = UUID.randomUUID();
        r.tenant = tenant;
        r.name = input.name();
        r.profileId = input.profileId();
        r.selector = input.selector();
        r.strategy = input.strategy();
        r.status = RolloutStatus.RUNNING;
        r.createdBy = createdBy;
        r.createdAt = now;
        r.updatedAt = now;
        Map<String, Cluster> byId = clusters.stream().collect(Collectors.toMap(c -> c.id, Function.identity()));
        List<List<String>> waves =
                input.strategy().waves(clusters.stream().map(c -> c.id).toList());
        r.waves = waves.size();
        List<RolloutTarget> targets = new ArrayList<>();
        for (int w = 0; w < waves.size(); w++) {
            for (String id : waves.get(w)) {
                RolloutTarget t = new RolloutTarget();
                t.rolloutId = r.id;
                t.clusterId = id;
                t.position = targets.size();
                t.wave = w;
                t.state = TargetState.PENDING;
                t.fromProfileId = byId.get(id).profileId;
                t.since = now;
                targets.add(t);
            }
        }
        return r.<Rollout>persist()
                .chain(() -> RolloutTarget.persist(targets))
                .chain(() -> events.publish(r, counts(targets), EventTypes.ROLLOUT_STARTED))
                .map(x -> new Loaded(r, targets));
    }

    @WithSession
    public Uni<Loaded> get(String tenant, UUID id) {
        return Rollout.<Rollout>find("id = ?1 and tenant = ?2", id, tenant)
                .firstResult()
                .map(r -> found(r, id))
                .chain(RolloutService::load);
    }

    /** Newest first. */
    @WithSession
    public Uni<Page<Loaded>> list(String tenant, RolloutStatus status, int page, int size) {
        String where = "tenant = ?1" + (status == null ? "" : " and status = ?2");
        Object[] params = status == null ? new Object[] {tenant} : new Object[] {tenant, status};
        return Rollout.<Rollout>find(where + " order by createdAt desc, id", params)
                .page(page, size)
                .list()
                .chain(items -> targetsOf(items)
                        .chain(targets -> Rollout.count(where, params)
                                .map(total -> new Page<>(
                                        items.stream()
                                                .map(r -> new Loaded(r, targets.getOrDefault(r.id, List.of())))
                                                .toList(),
                                        page,
                                        size,
                                        total))));
    }

    private static Uni<Map<UUID, List<RolloutTarget>>> targetsOf(List<Rollout> rollouts) {
        if (rollouts.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return RolloutTarget.<RolloutTarget>list(
                        "rolloutId in ?1 order by position",
                        rollouts.stream().map(r -> r.id).toList())
                .map(ts -> ts.stream()
                        .collect(Collectors.groupingBy(t -> t.rolloutId, LinkedHashMap::new, Collectors.toList())));
    }

    /** RUNNING → PAUSED: no cluster starts until it resumes (clusters already rolling finish). */
    @WithTransaction
    public Uni<Loaded> pause(String tenant, UUID id) {
        return locked(tenant, id).chain(r -> {
            requireStatus(r, "be paused", RolloutStatus.RUNNING);
            r.status = RolloutStatus.PAUSED;
            r.statusReason = "paused by an operator";
            return changed(r, EventTypes.ROLLOUT_PAUSED);
        });
    }

    /** PAUSED → RUNNING; the clusters FAILED so far are accepted: only failures beyond them pause again. */
    @WithTransaction
    public Uni<Loaded> resume(String tenant, UUID id) {
        return locked(tenant, id).chain(r -> {
            requireStatus(r, "be resumed", RolloutStatus.PAUSED);
            return RolloutTarget.count(
                            "rolloutId = ?1 and state in ?2",
                            r.id,
                            List.of(TargetState.FAILED, TargetState.ROLLING_BACK, TargetState.ROLLED_BACK))
                    .chain(failed -> {
                        r.status = RolloutStatus.RUNNING;
                        r.statusReason = null;
                        r.acceptedFailures = failed.intValue();
                        return changed(r, EventTypes.ROLLOUT_RESUMED);
                    });
        });
    }

    /** RUNNING or PAUSED → ABORTED: no cluster starts any more; those rolling finish on the new version. */
    @WithTransaction
    public Uni<Loaded> abort(String tenant, UUID id) {
        return locked(tenant, id).chain(r -> {
            requireStatus(r, "be aborted", RolloutStatus.RUNNING, RolloutStatus.PAUSED);
            r.status = RolloutStatus.ABORTED;
            r.statusReason = "aborted by an operator";
            return changed(r, EventTypes.ROLLOUT_ABORTED);
        });
    }

    /**
     * Rolls a FAILED cluster of the rollout back to the profile version it had before the rollout (keeping its add-ons
     * and overrides), in any status of the rollout: a RUNNING cluster rolls its nodes, a FAILED one takes the old
     * definition and resumes. The target is ROLLING_BACK until the health gate sees it RUNNING and healthy
     * (ROLLED_BACK) or not (FAILED again). 409 for a cluster in any other state.
     */
    @WithTransaction
    public Uni<Loaded> rollback(String tenant, UUID id, String clusterId) {
        return locked(tenant, id)
                .chain(r -> RolloutTarget.<RolloutTarget>find("rolloutId = ?1 and clusterId = ?2", r.id, clusterId)
                        .firstResult()
                        .chain(t -> {
                            if (t == null) {
                                throw ProblemException.notFound("cluster of rollout " + r.id, clusterId);
                            }
                            if (t.state != TargetState.FAILED) {
                                throw ProblemException.conflict(
                                        "state",
                                        "cluster " + clusterId + " is " + t.state
                                                + " in this rollout; only a FAILED one can be rolled back");
                            }
                            Instant now = Instant.now();
                            return clusters.rollBack(tenant, clusterId, t.fromProfileId)
                                    .invoke(() -> {
                                        t.state = TargetState.ROLLING_BACK;
                                        t.reason = "rolling back to profile version " + t.fromProfileId;
                                        t.since = now;
                                        t.finishedAt = null;
                                        r.updatedAt = now;
                                    })
                                    .chain(() -> load(r))
                                    .call(l -> events.publish(
                                            r, counts(l.targets()), EventTypes.ROLLOUT_ROLLBACK_STARTED, clusterId));
                        }));
    }

    private Uni<Loaded> changed(Rollout r, String eventType) {
        r.updatedAt = Instant.now();
        return load(r).call(l -> events.publish(r, counts(l.targets()), eventType));
    }

    private static void requireStatus(Rollout r, String action, RolloutStatus... allowed) {
        if (!List.of(allowed).contains(r.status)) {
            throw ProblemException.conflict(
                    "status",
                    "rollout '" + r.name + "' is " + r.status + " and cannot " + action + "; it must be "
                            + String.join(
                                    " or ",
                                    List.of(allowed).stream().map(Enum::name).toList()));
        }
    }

    /** Cluster count per state, states with none left out. */
    public static Map<String, Integer> counts(List<RolloutTarget> targets) {
        Map<String, Integer> counts =
                new TreeMap<>(Comparator.comparing(s -> TargetState.valueOf(s).ordinal()));
        targets.forEach(t -> counts.merge(t.state.name(), 1, Integer::sum));
        return counts;
    }

    private static Uni<Rollout> locked(String tenant, UUID id) {
        return Rollout.<Rollout>find("id = ?1 and tenant = ?2", id, tenant)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .map(r -> found(r, id));
    }

    private static Rollout found(Rollout r, UUID id) {
        if (r == null) {
            throw ProblemException.notFound("rollout", id.toString());
        }
        return r;
    }

    private static Uni<Loaded> load(Rollout r) {
        return RolloutTarget.<RolloutTarget>list("rolloutId = ?1 order by position", r.id)
                .map(ts -> new Loaded(r, ts));
    }
}
