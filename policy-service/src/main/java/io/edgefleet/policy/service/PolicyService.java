package io.edgefleet.policy.service;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.policy.messaging.out.PolicyEventPublisher;
import io.edgefleet.policy.repository.KnownCluster;
import io.edgefleet.policy.repository.Policy;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunDetail;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunTrigger;
import io.edgefleet.policy.store.SecretBox;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Policies of a tenant: create, change, attach to clusters, delete, run on demand and on schedule. */
@ApplicationScoped
public class PolicyService {

    @Inject
    PolicyEventPublisher events;

    @Inject
    RunEngine runs;

    @Inject
    SecretBox secrets;

    @WithTransaction
    public Uni<Policy> create(String tenant, PolicyDefinition definition) {
        return checkClusters(tenant, definition.clusterIds())
                .chain(() -> Policy.count("tenant = ?1 and name = ?2", tenant, definition.name()))
                .chain(sameName -> {
                    if (sameName > 0) {
                        throw ProblemException.conflict(
                                "name", "a policy named '" + definition.name() + "' exists in your tenant");
                    }
                    Policy p = new Policy();
                    p.id = UUID.randomUUID();
                    p.tenant = tenant;
                    p.createdAt = Instant.now();
                    apply(p, definition);
                    return p.<Policy>persist().call(() -> events.policy(p, EventTypes.POLICY_CREATED));
                });
    }

    /** Replaces the policy's definition; a BACKUP policy keeps its stored secret unless a new one is given. */
    @WithTransaction
    public Uni<Policy> replace(String tenant, UUID id, PolicyDefinition definition) {
        return owned(tenant, id).chain(p -> {
            if (p.kind != definition.kind()) {
                throw ProblemException.conflict(
                        "kind", "a policy's kind cannot change (it is " + p.kind + "): create another policy");
            }
            if (definition.kind() == PolicyKind.BACKUP && definition.secret() == null && p.storeSecret == null) {
                throw ProblemException.invalid("backup.store.secretAccessKey", "is required");
            }
            return checkClusters(tenant, definition.clusterIds())
                    .chain(() -> Policy.count("tenant = ?1 and name = ?2 and id <> ?3", tenant, definition.name(), id))
                    .chain(sameName -> {
                        if (sameName > 0) {
                            throw ProblemException.conflict(
                                    "name", "a policy named '" + definition.name() + "' exists in your tenant");
                        }
                        apply(p, definition);
                        p.revision++;
                        return events.policy(p, EventTypes.POLICY_UPDATED).replaceWith(p);
                    });
        });
    }

    private void apply(Policy p, PolicyDefinition definition) {
        Instant now = Instant.now();
        p.name = definition.name();
        p.kind = definition.kind();
        p.cron = definition.cron();
        p.timeZone = definition.timeZone();
        p.nextRunAt = p.cron == null
                ? null
                : CronSchedule.of(p.cron, p.timeZone).next(now).orElse(null);
        p.clusters = new Policy.ClusterIds(definition.clusterIds());
        p.settings = definition.settings();
        if (definition.secret() != null) {
            p.storeSecret = secrets.seal(definition.secret());
        }
        p.updatedAt = now;
    }

    /** Every attached cluster must be one of the tenant's (known from cluster-events) and not deleted. */
    private static Uni<Void> checkClusters(String tenant, List<String> clusterIds) {
        if (clusterIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return KnownCluster.<KnownCluster>list("tenant = ?1 and id in ?2", tenant, clusterIds)
                .map(known -> {
                    List<Problem.FieldError> errors = new ArrayList<>();
                    for (int i = 0; i < clusterIds.size(); i++) {
                        String id = clusterIds.get(i);
                        KnownCluster c = known.stream()
                                .filter(k -> k.id.equals(id))
                                .findFirst()
                                .orElse(null);
                        if (c == null || c.status == ClusterStatus.DELETED) {
                            errors.add(new Problem.FieldError(
                                    "clusterIds[" + i + "]", "no cluster '" + id + "' in your tenant"));
                        }
                    }
                    if (!errors.isEmpty()) {
                        throw ProblemException.invalid(errors);
                    }
                    return null;
                });
    }

    @WithTransaction
    public Uni<Void> delete(String tenant, UUID id) {
        return owned(tenant, id)
                .chain(p -> events.policy(p, EventTypes.POLICY_DELETED).chain(p::delete));
    }

    @WithSession
    public Uni<Policy> get(String tenant, UUID id) {
        return owned(tenant, id);
    }

    public record PolicyPage(List<Policy> items, long total) {}

    @WithSession
    public Uni<PolicyPage> list(String tenant, PolicyKind kind, int page, int size) {
        String query = kind == null ? "tenant = ?1" : "tenant = ?1 and kind = ?2";
        Object[] params = kind == null ? new Object[] {tenant} : new Object[] {tenant, kind};
        return Policy.<Policy>find(query + " order by name", params)
                .page(page, size)
                .list()
                .chain(items -> Policy.count(query, params).map(total -> new PolicyPage(items, total)));
    }

    private static Uni<Policy> owned(String tenant, UUID id) {
        return Policy.of(tenant, id).map(p -> {
            if (p == null) {
                throw ProblemException.notFound("policy", id.toString());
            }
            return p;
        });
    }

    /** Runs the policy now on one of its clusters, or on all of them. */
    @WithTransaction
    public Uni<List<Run>> runNow(String tenant, UUID id, String clusterId) {
        return owned(tenant, id).chain(p -> {
            if (clusterId != null && !p.clusterIds().contains(clusterId)) {
                throw ProblemException.invalid(
                        "clusterId", "the policy is not attached to cluster '" + clusterId + "'");
            }
            if (p.clusterIds().isEmpty()) {
                throw ProblemException.conflict("clusterIds", "the policy is attached to no cluster");
            }
            return trigger(p, clusterId == null ? p.clusterIds() : List.of(clusterId), RunTrigger.ON_DEMAND);
        });
    }

    /** Triggers the policy on each cluster (a run each, or a skipped one). In the caller's transaction. */
    Uni<List<Run>> trigger(Policy p, List<String> clusterIds, RunTrigger trigger) {
        return Multi.createFrom()
                .iterable(clusterIds)
                .onItem()
                .transformToUniAndConcatenate(clusterId -> runs.start(
                        new RunEngine.RunRequest(
                                p.tenant,
                                runKind(p.kind),
                                p.id,
                                p.name,
                                clusterId,
                                trigger,
                                new RunDetail(p.settings.scan(), p.settings.backup(), p.settings.patch(), null),
                                p.storeSecret),
                        Map.of()))
                .collect()
                .asList();
    }

    private static RunKind runKind(PolicyKind kind) {
        return switch (kind) {
            case SCAN -> RunKind.SCAN;
            case BACKUP -> RunKind.BACKUP;
            case OS_PATCH -> RunKind.OS_PATCH;
        };
    }

    /** A due schedule (the policy locked): triggers it on every cluster and moves to the next time. */
    public Uni<Void> fireIfDue(UUID policyId, Instant now) {
        return Policy.lock(policyId).chain(p -> {
            if (p == null || p.nextRunAt == null || p.nextRunAt.isAfter(now)) {
                return Uni.createFrom().voidItem(); // changed meanwhile
            }
            // one run per due time, however many times were missed while the service was down
            p.nextRunAt = CronSchedule.of(p.cron, p.timeZone).next(now).orElse(null);
            return trigger(p, p.clusterIds(), RunTrigger.SCHEDULED).replaceWithVoid();
        });
    }

    /** A scan not bound to a policy. */
    @WithTransaction
    public Uni<Run> scanNow(String tenant, String clusterId, PolicySettings.Scan scan) {
        return runs.start(
                new RunEngine.RunRequest(
                        tenant,
                        RunKind.SCAN,
                        null,
                        null,
                        clusterId,
                        RunTrigger.ON_DEMAND,
                        new RunDetail(scan, null, null, null),
                        null),
                Map.of());
    }

    /**
     * Applies a cluster snapshot to the projection. A cluster just created is attached to the policies it named
     * (those of its tenant; it is the creator's choice, made once); a deleted cluster is detached from every policy.
     */
    public Uni<Void> applyCluster(String tenant, ClusterSnapshot snapshot, boolean created) {
        return KnownCluster.<KnownCluster>findById(snapshot.id()).chain(existing -> {
            if (existing != null && !existing.tenant.equals(tenant)) {
                return Uni.createFrom().voidItem(); // not this tenant's
            }
            Uni<Void> attached = created
                            && snapshot.policyIds() != null
                            && !snapshot.policyIds().isEmpty()
                    ? attach(tenant, snapshot.id(), snapshot.policyIds())
                    : Uni.createFrom().voidItem();
            if (existing != null && existing.revision >= snapshot.revision()) {
                return attached; // older or a repeat: the projection has newer
            }
            KnownCluster c = existing == null ? new KnownCluster() : existing;
            c.id = snapshot.id();
            c.tenant = tenant;
            c.name = snapshot.name();
            c.status = snapshot.status();
            c.nodes = new KnownCluster.Nodes(snapshot.nodes() == null ? List.of() : List.copyOf(snapshot.nodes()));
            c.revision = snapshot.revision();
            c.updatedAt = Instant.now();
            Uni<Void> saved = existing == null
                    ? c.persist().replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return snapshot.status() == ClusterStatus.DELETED
                    ? saved.chain(() -> attached).chain(() -> detach(tenant, snapshot.id()))
                    : saved.chain(() -> attached);
        });
    }

    private Uni<Void> attach(String tenant, String clusterId, List<String> policyIds) {
        List<UUID> ids = policyIds.stream()
                .map(PolicyService::uuidOrNull)
                .filter(Objects::nonNull)
                .toList();
        return Policy.<Policy>list("tenant = ?1 and id in ?2", tenant, ids)
                .chain(found -> Multi.createFrom()
                        .iterable(found)
                        .filter(p -> !p.clusterIds().contains(clusterId)
                                && p.clusterIds().size() < PolicyDefinition.MAX_CLUSTERS)
                        .onItem()
                        .transformToUniAndConcatenate(p -> {
                            List<String> clusters = new ArrayList<>(p.clusterIds());
                            clusters.add(clusterId);
                            return appliesTo(p, clusters);
                        })
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    private static UUID uuidOrNull(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Uni<Void> detach(String tenant, String clusterId) {
        return Policy.<Policy>list("tenant", tenant)
                .chain(all -> Multi.createFrom()
                        .iterable(all)
                        .filter(p -> p.clusterIds().contains(clusterId))
                        .onItem()
                        .transformToUniAndConcatenate(p -> appliesTo(
                                p,
                                p.clusterIds().stream()
                                        .filter(id -> !id.equals(clusterId))
                                        .toList()))
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    /** The policy now applies to these clusters (attached at a cluster's create, detached at its delete): published. */
    private Uni<Void> appliesTo(Policy p, List<String> clusterIds) {
        p.clusters = new Policy.ClusterIds(List.copyOf(clusterIds));
        p.updatedAt = Instant.now();
        p.revision++;
        return events.policy(p, EventTypes.POLICY_UPDATED);
    }
}
