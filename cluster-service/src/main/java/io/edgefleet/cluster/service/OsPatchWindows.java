package io.edgefleet.cluster.service;

import io.edgefleet.events.payload.PolicySnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Which clusters have an OS patch schedule: those an OS_PATCH policy of mode RELINK is attached to (kept from
 * policy-events, in the consumer's transaction). A cluster keeps its window while any such policy names it.
 */
@ApplicationScoped
public class OsPatchWindows {

    /**
     * Makes the policy's windows match its snapshot (none for a deleted policy or one that no longer holds OS
     * releases). Only clusters of the policy's tenant get a window.
     *
     * @return the clusters that lost this policy's window
     */
    public Uni<List<String>> apply(String tenant, PolicySnapshot policy, boolean deleted) {
        List<String> wanted =
                deleted || !policy.holdsOsReleases() || policy.clusterIds() == null ? List.of() : policy.clusterIds();
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select cluster_id from os_patch_window where tenant = :tenant and policy_id = :policy",
                                String.class)
                        .setParameter("tenant", tenant)
                        .setParameter("policy", policy.id())
                        .getResultList())
                .call(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery(
                                        "delete from os_patch_window where tenant = :tenant and policy_id = :policy")
                                .setParameter("tenant", tenant)
                                .setParameter("policy", policy.id())
                                .executeUpdate()))
                .call(before -> Multi.createFrom()
                        .iterable(wanted)
                        .onItem()
                        .transformToUniAndConcatenate(clusterId -> Panache.getSession()
                                .chain(s -> s.createNativeQuery(
                                                "insert into os_patch_window (tenant, policy_id, cluster_id) "
                                                        + "select tenant, :policy, id from cluster where tenant = :tenant and id = :cluster "
                                                        + "on conflict do nothing")
                                        .setParameter("tenant", tenant)
                                        .setParameter("policy", policy.id())
                                        .setParameter("cluster", clusterId)
                                        .executeUpdate()))
                        .collect()
                        .asList())
                .map(before ->
                        before.stream().filter(id -> !wanted.contains(id)).toList());
    }

    /** Whether an OS re-link of the cluster waits for its OS patch schedule. */
    public Uni<Boolean> held(String clusterId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select count(*) from os_patch_window where cluster_id = :cluster", Long.class)
                        .setParameter("cluster", clusterId)
                        .getSingleResult())
                .map(n -> n > 0);
    }
}
