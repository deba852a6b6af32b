package io.edgefleet.policy.service;

import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.policy.repository.KnownCluster;
import io.edgefleet.policy.repository.Run;
import io.edgefleet.policy.repository.RunDetail;
import io.edgefleet.policy.repository.RunKind;
import io.edgefleet.policy.repository.RunNode;
import io.edgefleet.policy.repository.RunStatus;
import io.edgefleet.policy.repository.RunTrigger;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/** Reading runs (scans, backups, restores, OS patches) and starting restores. */
@ApplicationScoped
public class RunService {

    @Inject
    RunEngine engine;

    public record RunWithNodes(Run run, List<RunNode> nodes) {}

    public record RunPage(List<Run> items, long total) {}

    @WithSession
    public Uni<RunPage> list(
            String tenant, List<RunKind> kinds, String clusterId, UUID policyId, RunStatus status, int page, int size) {
        StringBuilder query = new StringBuilder("tenant = :tenant and kind in :kinds");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        params.put("kinds", kinds);
        if (clusterId != null) {
            query.append(" and clusterId = :cluster");
            params.put("cluster", clusterId);
        }
        if (policyId != null) {
            query.append(" and policyId = :policy");
            params.put("policy", policyId);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        }
        String where = query.toString();
        return Run.<Run>find(where + " order by createdAt desc, id", params)
                .page(page, size)
                .list()
                .chain(items -> Run.count(where, params).map(total -> new RunPage(items, total)));
    }

    /** @param kind null: a run of any kind (a policy's runs) */
    @WithSession
    public Uni<RunWithNodes> get(String tenant, UUID id, RunKind kind, String what) {
        return Run.<Run>findById(id).chain(run -> {
            if (run == null || !run.tenant.equals(tenant) || (kind != null && run.kind != kind)) {
                throw ProblemException.notFound(what, id.toString());
            }
            return RunNode.ofRun(run.id).map(nodes -> new RunWithNodes(run, nodes));
        });
    }

    /**
     * Restores a backup into its own cluster or another cluster of the tenant. Archives are matched to the
     * target's nodes by pool name and position (first node of pool "workers" gets the archive of the
     * source's first "workers" node): the target needs at least as many nodes in each archived pool.
     */
    @WithTransaction
    public Uni<Run> restore(String tenant, UUID backupId, String targetClusterId) {
        return Run.of(tenant, backupId, RunKind.BACKUP).chain(backup -> {
            if (backup == null) {
                throw ProblemException.invalid("backupId", "no backup " + backupId + " in your tenant");
            }
            if (backup.status != RunStatus.SUCCEEDED) {
                throw ProblemException.conflict(
                        "backupId",
                        "backup " + backupId + " is " + backup.status
                                + (backup.status == RunStatus.EXPIRED
                                        ? ": its archives were deleted by its retention"
                                        : "; only a SUCCEEDED backup can be restored"));
            }
            String target = targetClusterId == null ? backup.clusterId : targetClusterId;
            return KnownCluster.of(tenant, target).chain(cluster -> {
                if (cluster == null) {
                    throw ProblemException.invalid("clusterId", "no cluster '" + target + "' in your tenant");
                }
                return RunNode.ofRun(backup.id).chain(archived -> {
                    Map<String, TaskOutput.Archive> archives = match(archived, cluster);
                    RunDetail detail = new RunDetail(
                            null,
                            backup.detail.backup(),
                            null,
                            new RunDetail.RestoreSource(backup.id, backup.clusterId));
                    return engine.start(
                            new RunEngine.RunRequest(
                                    tenant,
                                    RunKind.RESTORE,
                                    null,
                                    backup.policyName,
                                    target,
                                    RunTrigger.ON_DEMAND,
                                    detail,
                                    backup.storeSecret), // the backup's store, as long as the restore runs
                            archives);
                });
            });
        });
    }

    /** Target node id → the archive it gets. */
    static Map<String, TaskOutput.Archive> match(List<RunNode> archived, KnownCluster target) {
        Map<String, List<RunNode>> byPool = new TreeMap<>();
        archived.stream()
                .filter(t -> t.output != null && t.output.archive() != null)
                .sorted(Comparator.comparing((RunNode t) -> t.nodeId))
                .forEach(t -> byPool.computeIfAbsent(Objects.requireNonNullElse(t.poolName, ""), p -> new ArrayList<>())
                        .add(t));
        Map<String, List<ClusterSnapshot.Node>> targetPools = new TreeMap<>();
        target.liveNodes()
                .forEach(n -> targetPools
                        .computeIfAbsent(n.poolName(), p -> new ArrayList<>())
                        .add(n));
        Map<String, TaskOutput.Archive> result = new LinkedHashMap<>();
        byPool.forEach((pool, sources) -> {
            List<ClusterSnapshot.Node> nodes = targetPools.getOrDefault(pool, List.of());
            if (nodes.size() < sources.size()) {
                throw ProblemException.conflict(
                        "clusterId",
                        "cluster " + target.id + " has " + nodes.size() + " node(s) in pool '" + pool
                                + "', the backup has " + sources.size() + ": a restore needs a node for every archive");
            }
            for (int i = 0; i < sources.size(); i++) {
                result.put(nodes.get(i).nodeId(), sources.get(i).output.archive());
            }
        });
        if (result.isEmpty()) {
            throw ProblemException.conflict("backupId", "the backup holds no archive");
        }
        return result;
    }
}
