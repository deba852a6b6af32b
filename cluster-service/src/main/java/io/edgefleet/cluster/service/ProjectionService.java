package io.edgefleet.cluster.service;

import io.edgefleet.cluster.orchestration.Orchestrator;
import io.edgefleet.cluster.orchestration.ProvisioningTasks;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.KnownAppliance;
import io.edgefleet.cluster.repository.KnownProfile;
import io.edgefleet.cluster.repository.ProfileCopy;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.RolloutTarget;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.cluster.rollout.ProfileChange;
import io.edgefleet.cluster.rollout.RelinkRoute;
import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * cluster-service's own view of appliances and profiles, kept from their events (called in the
 * consumers' transactions). Snapshots of one entity arrive in order (one Kafka key), but a replay may
 * bring old ones: a snapshot older than the stored one (version, revision) is ignored.
 */
@ApplicationScoped
public class ProjectionService {

    private static final Logger LOG = Logger.getLogger(ProjectionService.class);

    @Inject
    Orchestrator orchestrator;

    @Inject
    ProvisioningTasks tasks;

    @Inject
    OsPatches osPatches;

    @Inject
    RolloutService rollouts;

    public Uni<Void> upsertAppliance(String tenant, ApplianceSnapshot a) {
        return KnownAppliance.<KnownAppliance>find("tenant = ?1 and uid = ?2", tenant, a.uid())
                .firstResult()
                .chain(row -> {
                    if (row != null && row.version > a.version()) {
                        return Uni.createFrom().voidItem();
                    }
                    KnownAppliance r = row != null ? row : new KnownAppliance();
                    if (row == null) {
                        r.id = UUID.randomUUID();
                        r.tenant = tenant;
                        r.uid = a.uid();
                    }
                    r.status = a.status();
                    r.kind = a.kind();
                    r.inventory = a.inventory();
                    r.version = a.version();
                    r.updatedAt = Instant.now();
                    return r.persist().replaceWithVoid();
                });
    }

    public Uni<Void> forgetAppliance(String tenant, ApplianceSnapshot a) {
        return KnownAppliance.delete("tenant = ?1 and uid = ?2", tenant, a.uid())
                .replaceWithVoid();
    }

    public Uni<Void> upsertProfile(String tenant, ProfileSnapshot p) {
        return KnownProfile.<KnownProfile>find("tenant = ?1 and profileId = ?2", tenant, p.id())
                .firstResult()
                .chain(row -> {
                    if (row != null && row.revision > p.revision()) {
                        return Uni.createFrom().voidItem();
                    }
                    KnownProfile r = row != null ? row : new KnownProfile();
                    if (row == null) {
                        r.id = UUID.randomUUID();
                        r.tenant = tenant;
                        r.profileId = p.id();
                    }
                    r.type = p.type();
                    r.cloudType = p.cloudType();
                    r.profile = ProfileCopy.of(p);
                    r.revision = p.revision();
                    r.updatedAt = Instant.now();
                    return r.persist().replaceWithVoid();
                });
    }

    /**
     * A profile version was updated ({@code PUT /v1/profiles/{id}}): the projection takes it, and the clusters built
     * from it take it like a re-link ({@link #rollForward}) when their stack changes. A snapshot not newer than the
     * stored one (a replay) rolls nothing.
     */
    public Uni<Void> updateProfile(String tenant, ProfileSnapshot p) {
        return KnownProfile.<KnownProfile>find("tenant = ?1 and profileId = ?2", tenant, p.id())
                .firstResult()
                .chain(row -> {
                    if (row != null && row.revision >= p.revision()) {
                        return upsertProfile(tenant, p);
                    }
                    List<ProfileLayer> before = row == null || row.profile == null ? null : row.profile.layers();
                    return upsertProfile(tenant, p).chain(() -> rollForward(tenant, ProfileChange.updated(before, p)));
                });
    }

    /** Clusters keep their own copy of the profiles they were built from, so nothing else changes. */
    public Uni<Void> forgetProfile(String tenant, ProfileSnapshot p) {
        return KnownProfile.delete("tenant = ?1 and profileId = ?2", tenant, p.id())
                .replaceWithVoid();
    }

    /**
     * A layer of the profile was re-linked to a newer release, or an update replaced its layers: every cluster built
     * from it (as its profile or an add-on) whose stack this changes takes the new layers and rolls its nodes forward
     * (a running cluster becomes UPDATING; one being provisioned builds with them; a failed one uses them on retry). A
     * new OS release of a cluster with an OS patch schedule waits for the schedule instead ({@link OsPatches#admit}).
     * When the profile's strategy is ROLLOUT, its RUNNING clusters are not rolled here but become the targets of one
     * new rollout ({@link RelinkRoute}); clusters in a rollout not finished are left to it.
     */
    public Uni<Void> rollForward(String tenant, ProfileChange change) {
        ProfileCopy copy = ProfileCopy.of(change.profile());
        boolean rollsOut = ProfileRollout.rollsOut(change.profile().rollout());
        List<Cluster> targets = new ArrayList<>();
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select id from cluster where tenant = :tenant and status not in ('DELETING', 'DELETED') "
                                        + "and (profile_id = :profile or addon_profile_ids -> 'ids' @> cast(:asArray as jsonb)) order by id",
                                String.class)
                        .setParameter("tenant", tenant)
                        .setParameter("profile", copy.id())
                        .setParameter("asArray", "[\"" + copy.id().replace("\"", "") + "\"]")
                        .getResultList())
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> Cluster.lock(id)
                                .chain(c -> route(c, copy, change, rollsOut).chain(route -> switch (route) {
                                    case NOW -> relink(c, copy, change);
                                    case ROLLOUT -> {
                                        targets.add(c);
                                        yield Uni.createFrom().voidItem();
                                    }
                                    case LEAVE -> {
                                        LOG.infof(
                                                "cluster %s: profile %s changed; left to the rollout it is in",
                                                c.id, copy.id());
                                        yield Uni.createFrom().voidItem();
                                    }
                                    case UNCHANGED -> Uni.createFrom().voidItem();
                                })))
                        .collect()
                        .asList())
                .chain(() -> {
                    // locked in id order (as everywhere); the rollout takes the oldest clusters first
                    targets.sort(
                            Comparator.comparing((Cluster c) -> c.createdAt).thenComparing(c -> c.id));
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> targets.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : rollouts.createForChange(tenant, change, targets)
                                .invoke(l -> LOG.infof(
                                        "profile %s changed: rollout %s over %d cluster(s)",
                                        copy.id(), l.rollout().id, targets.size()))
                                .replaceWithVoid());
    }

    private Uni<RelinkRoute> route(Cluster cluster, ProfileCopy copy, ProfileChange change, boolean rollsOut) {
        boolean own = copy.id().equals(cluster.profileId);
        ProfileCopy running = copyOf(cluster, copy.id());
        boolean changed = change.changes(running == null ? null : running.layers());
        if (!changed || !rollsOut) {
            return Uni.createFrom().item(RelinkRoute.of(changed, rollsOut, own, cluster.status, false, false));
        }
        return RolloutTarget.count(
                        "clusterId = ?1 and rolloutId in (select r.id from Rollout r where r.status in ?2)",
                        cluster.id,
                        List.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED))
                .chain(inRollout -> osPatches
                        .scheduleHolds(cluster)
                        .map(held -> RelinkRoute.of(true, true, own, cluster.status, inRollout > 0, held)));
    }

    /** The cluster's copy of the profile: its own (the one waiting for its OS patch schedule if any) or an add-on. */
    private static ProfileCopy copyOf(Cluster cluster, String profileId) {
        if (profileId.equals(cluster.profileId)) {
            return cluster.pendingProfile != null ? cluster.pendingProfile : cluster.profiles.profile();
        }
        return cluster.profiles.addons().stream()
                .filter(a -> a.id().equals(profileId))
                .findFirst()
                .orElse(null);
    }

    private Uni<Void> relink(Cluster cluster, ProfileCopy copy, ProfileChange change) {
        if (cluster.status == ClusterStatus.DELETING || cluster.status == ClusterStatus.DELETED) {
            return Uni.createFrom().voidItem();
        }
        if (!copy.id().equals(cluster.profileId)) { // an add-on profile: no OS layer, rolls now
            return apply(cluster, copy, change);
        }
        // the cluster's own profile holds the OS layer, which may wait for the cluster's OS patch schedule
        return osPatches
                .admit(cluster, copy, change)
                .chain(now -> now == null ? Uni.createFrom().voidItem() : apply(cluster, now, change));
    }

    private Uni<Void> apply(Cluster cluster, ProfileCopy copy, ProfileChange change) {
        AppliedProfiles applied = cluster.profiles;
        cluster.profiles = copy.id().equals(cluster.profileId)
                ? new AppliedProfiles(copy, applied.addons())
                : new AppliedProfiles(
                        applied.profile(),
                        applied.addons().stream()
                                .map(a -> a.id().equals(copy.id()) ? copy : a)
                                .toList());
        cluster.updatedAt = Instant.now();
        LOG.infof("cluster %s: %s", cluster.id, change.summary());
        return tasks.record(cluster, ProvisioningTask.CHANGE, TaskStatus.SUCCEEDED, change.summary(), Instant.now())
                .chain(() -> orchestrator.reconcile(cluster));
    }
}
