package io.edgefleet.cluster.service;

import io.edgefleet.cluster.messaging.out.ClusterEventPublisher;
import io.edgefleet.cluster.orchestration.NodeIds;
import io.edgefleet.cluster.orchestration.Orchestrator;
import io.edgefleet.cluster.orchestration.ProvisioningTasks;
import io.edgefleet.cluster.repository.ApplianceClaimRepository;
import io.edgefleet.cluster.repository.AppliedProfiles;
import io.edgefleet.cluster.repository.Cluster;
import io.edgefleet.cluster.repository.ClusterNode;
import io.edgefleet.cluster.repository.PoolSpec;
import io.edgefleet.cluster.repository.ProvisioningTask;
import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.cluster.repository.TaskStatus;
import io.edgefleet.cluster.rollout.MaintenanceWindow;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ClusterStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What operators do with clusters. Each operation validates, changes the cluster and lets the
 * orchestrator take the first steps, all in one transaction with the cluster locked: the answer shows
 * the cluster already moving (PROVISIONING, UPDATING, DELETING), and a failure changes nothing.
 */
@ApplicationScoped
public class ClusterService {

    @Inject
    Preflight preflight;

    @Inject
    Orchestrator orchestrator;

    @Inject
    ClusterEventPublisher events;

    @Inject
    ApplianceClaimRepository claims;

    @Inject
    ProvisioningTasks tasks;

    @Inject
    KnownPolicies knownPolicies;

    /** A cluster with its current nodes. */
    public record Loaded(Cluster cluster, List<ClusterNode> nodes) {}

    @WithTransaction
    public Uni<Loaded> create(String tenant, NewCluster input) {
        Validator v = new Validator();
        return nameFree(tenant, input.name())
                .chain(() -> knownPolicies.check(tenant, input.policyIds(), "policyIds", v))
                .chain(() -> preflight.profiles(tenant, input.profileId(), input.addonProfileIds(), v))
                .chain(profiles -> {
                    if (profiles == null) {
                        v.throwIfInvalid(); // without a usable profile nothing else can be checked
                    }
                    Cluster draft = draft(tenant, input, profiles);
                    Set<String> allPools = Set.copyOf(
                            draft.pools().stream().map(PoolSpec::name).toList());
                    return preflight
                            .facts(tenant, draft.id, draft.pools())
                            .invoke(facts -> {
                                Preflight.kinds(
                                        profiles.profile().name(), draft.cloudType, draft.pools(), allPools, facts, v);
                                preflight.definition(draft, orchestrator.renderer(), facts.hostIps(), v);
                                preflight.appliances(draft.cloudType, draft.pools(), allPools, facts, draft.id, v);
                                v.throwIfInvalid();
                            })
                            .chain(() -> draft.<Cluster>persistAndFlush()) // the name's unique index answers here
                            .chain(() -> claims.claim(tenant, draft.id, draft.poolAppliances()))
                            .invoke(claimed -> {
                                if (claimed < draft.poolAppliances().size()) { // another cluster took one meanwhile
                                    throw ProblemException.conflict(
                                            "pools",
                                            "an appliance of the cluster was just taken by another cluster; try again");
                                }
                            })
                            .chain(() -> events.publish(draft, List.of(), EventTypes.CLUSTER_CREATED))
                            .chain(() -> orchestrator.reconcile(draft, new ArrayList<>()))
                            .chain(() -> load(draft));
                })
                .onFailure(ClusterService::nameTaken)
                .transform(e ->
                        ProblemException.conflict("name", "a cluster named '" + input.name() + "' exists already"));
    }

    /** Two creates with one name at once: the partial unique index refuses the second. */
    private static boolean nameTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("cluster_name_per_tenant")) {
                return true;
            }
        }
        return false;
    }

    private static Cluster draft(String tenant, NewCluster input, AppliedProfiles profiles) {
        Instant now = Instant.now();
        Cluster c = new Cluster();
        c.id = NodeIds.clusterId();
        c.tenant = tenant;
        c.name = input.name();
        c.description = input.description();
        c.tags = new TreeMap<>(input.tags());
        c.status = ClusterStatus.PENDING;
        c.cloudType = profiles.profile().cloudType();
        c.profileId = input.profileId();
        c.addonProfileIds(input.addonProfileIds());
        c.profiles = profiles;
        c.packValues = new TreeMap<>(input.packValues());
        c.cloudConfig = input.cloudConfig();
        c.pools(input.pools());
        c.policies = new Cluster.PolicyIds(List.copyOf(input.policyIds()));
        c.createdAt = now;
        c.updatedAt = now;
        return c;
    }

    private static Uni<Void> nameFree(String tenant, String name) {
        return Cluster.count("tenant = ?1 and name = ?2 and status <> ?3", tenant, name, ClusterStatus.DELETED)
                .invoke(n -> {
                    if (n > 0) {
                        throw ProblemException.conflict("name", "a cluster named '" + name + "' exists already");
                    }
                })
                .replaceWithVoid();
    }

    @WithSession
    public Uni<Loaded> get(String tenant, String id) {
        return find(tenant, id).chain(ClusterService::load);
    }

    /**
     * Newest first; DELETED clusters are not listed. Each with its nodes, as {@link #get} loads it: a listed cluster
     * shows what the cluster itself shows (running nodes per pool, appliances in use).
     */
    @WithSession
    public Uni<Page<Loaded>> list(String tenant, ClusterStatus status, int page, int size) {
        String where = "tenant = ?1 and status <> ?2" + (status == null ? "" : " and status = ?3");
        Object[] params = status == null
                ? new Object[] {tenant, ClusterStatus.DELETED}
                : new Object[] {tenant, ClusterStatus.DELETED, status};
        var query = Cluster.<Cluster>find(where + " order by createdAt desc, id", params);
        return query.page(page, size)
                .list()
                .chain(items -> nodesOf(items)
                        .chain(nodes -> Cluster.count(where, params)
                                .map(total -> new Page<>(
                                        items.stream()
                                                .map(c -> new Loaded(c, nodes.getOrDefault(c.id, List.of())))
                                                .toList(),
                                        page,
                                        size,
                                        total))));
    }

    /** The nodes of these clusters (one query), by cluster id, in the order {@link Orchestrator#nodesOf} gives. */
    private static Uni<Map<String, List<ClusterNode>>> nodesOf(List<Cluster> clusters) {
        if (clusters.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return ClusterNode.<ClusterNode>list(
                        "clusterId in ?1 order by createdAt, nodeId",
                        clusters.stream().map(c -> c.id).toList())
                .map(nodes -> nodes.stream()
                        .collect(Collectors.groupingBy(n -> n.clusterId, LinkedHashMap::new, Collectors.toList())));
    }

    @WithSession
    public Uni<List<ProvisioningTask>> tasks(String tenant, String id) {
        return find(tenant, id).chain(c -> ProvisioningTask.list("clusterId = ?1 order by seq", c.id));
    }

    /** Resizes a pool of a RUNNING cluster; it is UPDATING until the pool has its new size. */
    @WithTransaction
    public Uni<Loaded> scale(String tenant, String id, String poolName, int size, RollingStrategy strategy) {
        return lockRunning(tenant, id, "scaled").chain(cluster -> {
            int index = cluster.pools()
                    .indexOf(cluster.pool(poolName).orElseThrow(() -> ProblemException.notFound("pool", poolName)));
            PoolSpec pool = cluster.pools().get(index);
            Validator v = new Validator();
            if (pool.master()) {
                v.require(
                        ClusterInputRules.MASTER_SIZES.contains(size),
                        "size",
                        "pool '" + poolName + "': a master pool has 1, 3 or 5 nodes");
            } else {
                v.require(
                        size >= 0 && size <= ClusterInputRules.MAX_POOL_SIZE,
                        "size",
                        "pool '" + poolName + "': a worker pool has 0 to " + ClusterInputRules.MAX_POOL_SIZE
                                + " nodes");
            }
            v.throwIfInvalid();
            List<PoolSpec> resized = new ArrayList<>(cluster.pools());
            resized.set(index, pool.withSize(size, strategy));
            // a pool that grows needs its appliances READY and with room; one that shrinks needs nothing
            Set<String> checked = size > pool.size() ? Set.of(poolName) : Set.of();
            return preflight
                    .facts(tenant, cluster.id, resized)
                    .invoke(facts -> {
                        preflight.appliances(cluster.cloudType, resized, checked, facts, cluster.id, v);
                        v.throwIfInvalid();
                    })
                    .chain(() -> {
                        cluster.pools(resized);
                        cluster.updatedAt = Instant.now();
                        String message = "pool " + poolName + ": size " + pool.size() + " → " + size + " ("
                                + resized.get(index).rollingStrategy() + ")";
                        return change(cluster, message);
                    });
        });
    }

    /**
     * Sets the window in which rollouts may touch the cluster (null removes it: any time); published as
     * {@code cluster.updated}. A rollout under way sees it at its next pass; a single cluster's own changes ignore it.
     */
    @WithTransaction
    public Uni<Loaded> maintenanceWindow(String tenant, String id, MaintenanceWindow window) {
        return locked(tenant, id).chain(cluster -> {
            if (cluster.status == ClusterStatus.DELETING || cluster.status == ClusterStatus.DELETED) {
                throw wrongState(cluster, "have a maintenance window", "not DELETING or DELETED");
            }
            cluster.maintenanceWindow = window;
            cluster.updatedAt = Instant.now();
            return Orchestrator.nodesOf(cluster.id)
                    .call(nodes -> events.publish(cluster, nodes, EventTypes.CLUSTER_UPDATED))
                    .map(nodes -> new Loaded(cluster, nodes));
        });
    }

    /**
     * New profile, add-ons or pack overrides. A RUNNING cluster rolls its nodes (UPDATING); a FAILED one only
     * takes the new definition, which a retry then uses (how a bad value is fixed).
     */
    @WithTransaction
    public Uni<Loaded> changeProfile(
            String tenant, String id, String profileId, List<String> addonIds, Map<String, String> packValues) {
        return locked(tenant, id).chain(cluster -> {
            if (cluster.status != ClusterStatus.RUNNING && cluster.status != ClusterStatus.FAILED) {
                throw wrongState(cluster, "have its profile changed", "RUNNING or FAILED");
            }
            Validator v = new Validator();
            return preflight
                    .facts(tenant, cluster.id, cluster.pools())
                    .chain(facts -> preflight
                            .profiles(tenant, profileId, addonIds, v)
                            .chain(profiles -> {
                                if (profiles == null) {
                                    v.throwIfInvalid();
                                }
                                if (profiles.profile().cloudType() != cluster.cloudType) {
                                    throw ProblemException.invalid(
                                            "profileId",
                                            "profile '" + profiles.profile().name() + "' is "
                                                    + profiles.profile()
                                                            .cloudType()
                                                            .value() + "; this cluster is "
                                                    + cluster.cloudType.value());
                                }
                                AppliedProfiles before = cluster.profiles;
                                Map<String, String> valuesBefore = cluster.packValues;
                                cluster.profiles = profiles;
                                cluster.packValues = new TreeMap<>(packValues);
                                preflight.definition(cluster, orchestrator.renderer(), facts.hostIps(), v);
                                if (v.hasErrors()) {
                                    cluster.profiles = before; // leave the managed entity as it was: nothing is written
                                    cluster.packValues = valuesBefore;
                                    v.throwIfInvalid();
                                }
                                cluster.profileId = profileId;
                                cluster.addonProfileIds(addonIds);
                                cluster.pendingProfile =
                                        null; // the chosen profile as it is now replaces any OS release waiting for the
                                // schedule
                                cluster.updatedAt = Instant.now();
                                String message = "profile " + profiles.profile().name() + " "
                                        + profiles.profile().version()
                                        + (addonIds.isEmpty() ? "" : " with " + addonIds.size() + " add-on profile(s)")
                                        + (packValues.isEmpty()
                                                ? ""
                                                : ", overrides for " + String.join(", ", packValues.keySet()));
                                return change(cluster, message);
                            }));
        });
    }

    /** Records the change, publishes it, and lets a RUNNING cluster start rolling. */
    private Uni<Loaded> change(Cluster cluster, String message) {
        return tasks.record(cluster, ProvisioningTask.CHANGE, TaskStatus.SUCCEEDED, message, Instant.now())
                .chain(() -> Orchestrator.nodesOf(cluster.id))
                .call(nodes -> events.publish(cluster, nodes, EventTypes.CLUSTER_UPDATED))
                .call(nodes -> orchestrator.reconcile(cluster, nodes))
                .chain(() -> load(cluster));
    }

    /**
     * Back to an earlier profile version (a rollout's rollback), keeping the add-ons and overrides: a RUNNING cluster
     * rolls its nodes, a FAILED one takes the old definition and resumes from where it stopped.
     */
    @WithTransaction
    public Uni<Loaded> rollBack(String tenant, String id, String profileId) {
        return locked(tenant, id)
                .chain(cluster -> changeProfile(tenant, id, profileId, cluster.addonProfileIds(), cluster.packValues))
                .chain(l -> l.cluster().status == ClusterStatus.FAILED
                        ? retry(tenant, id)
                        : Uni.createFrom().item(l));
    }

    /** A FAILED cluster resumes from where it stopped; failed steps get new commands. */
    @WithTransaction
    public Uni<Loaded> retry(String tenant, String id) {
        return locked(tenant, id).chain(cluster -> {
            if (cluster.status != ClusterStatus.FAILED) {
                throw wrongState(cluster, "be retried", "FAILED");
            }
            ClusterStatus to = cluster.failedFrom == null ? ClusterStatus.PROVISIONING : cluster.failedFrom;
            return Orchestrator.nodesOf(cluster.id)
                    .chain(nodes -> orchestrator.resume(cluster, nodes, to, "retry"))
                    .chain(() -> load(cluster));
        });
    }

    /** Stops provisioning: no new node is created, what exists is removed, then the cluster is DELETED. */
    @WithTransaction
    public Uni<Loaded> abort(String tenant, String id) {
        return locked(tenant, id).chain(cluster -> {
            boolean provisioning = cluster.status == ClusterStatus.PENDING
                    || cluster.status == ClusterStatus.PROVISIONING
                    || cluster.status == ClusterStatus.FAILED && cluster.failedFrom == ClusterStatus.PROVISIONING;
            if (!provisioning) {
                throw wrongState(
                        cluster,
                        "be aborted",
                        "being provisioned (PROVISIONING, or FAILED while provisioning)"
                                + (cluster.status == ClusterStatus.RUNNING
                                        ? "; delete a running cluster instead"
                                        : ""));
            }
            return tearDown(cluster, "abort");
        });
    }

    /** Removes every node and resource of a fully provisioned cluster, then it is DELETED and gone from the list. */
    @WithTransaction
    public Uni<Loaded> delete(String tenant, String id) {
        return locked(tenant, id).chain(cluster -> {
            boolean provisioned = cluster.status == ClusterStatus.RUNNING
                    || cluster.status == ClusterStatus.FAILED
                            && cluster.failedFrom != ClusterStatus.PROVISIONING
                            && cluster.failedFrom != null;
            if (!provisioned) {
                throw wrongState(
                        cluster,
                        "be deleted",
                        "RUNNING (fully provisioned)"
                                + (cluster.status == ClusterStatus.PROVISIONING
                                        ? "; abort a cluster being provisioned instead"
                                        : ""));
            }
            return tearDown(cluster, "delete");
        });
    }

    private Uni<Loaded> tearDown(Cluster cluster, String why) {
        return Orchestrator.nodesOf(cluster.id)
                .chain(nodes -> cluster.status == ClusterStatus.FAILED
                        ? orchestrator.resume(cluster, nodes, ClusterStatus.DELETING, why)
                        : orchestrator
                                .transition(cluster, nodes, ClusterStatus.DELETING, why)
                                .chain(() -> orchestrator.reconcile(cluster, nodes)))
                .chain(() -> load(cluster));
    }

    private Uni<Cluster> lockRunning(String tenant, String id, String what) {
        return locked(tenant, id).invoke(cluster -> {
            if (cluster.status != ClusterStatus.RUNNING) {
                throw wrongState(cluster, "be " + what, "RUNNING");
            }
        });
    }

    private static ProblemException wrongState(Cluster cluster, String action, String allowed) {
        return ProblemException.conflict(
                "status",
                "cluster '" + cluster.name + "' is " + cluster.status + " and cannot " + action + "; it must be "
                        + allowed);
    }

    /** The tenant's cluster, locked for the rest of the transaction, or 404. */
    private static Uni<Cluster> locked(String tenant, String id) {
        return Cluster.<Cluster>find("id = ?1 and tenant = ?2", id, tenant)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .map(c -> {
                    if (c == null) {
                        throw ProblemException.notFound("cluster", id);
                    }
                    return c;
                });
    }

    /** The tenant's cluster, or 404 (also for another tenant's id). */
    private static Uni<Cluster> find(String tenant, String id) {
        return Cluster.<Cluster>find("id = ?1 and tenant = ?2", id, tenant)
                .firstResult()
                .map(c -> {
                    if (c == null) {
                        throw ProblemException.notFound("cluster", id);
                    }
                    return c;
                });
    }

    private static Uni<Loaded> load(Cluster cluster) {
        return Orchestrator.nodesOf(cluster.id).map(nodes -> new Loaded(cluster, nodes));
    }
}
