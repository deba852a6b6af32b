package io.edgefleet.cluster.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cluster uses which appliance. One row per appliance: the primary key makes two clusters that
 * claim the same appliance at the same time collide, whatever the validation before saw.
 */
@ApplicationScoped
public class ApplianceClaimRepository {

    /** The clusters that hold any of {@code uids}: uid → cluster id. */
    public Uni<Map<String, String>> holders(String tenant, List<String> uids) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select uid, cluster_id from appliance_claim where tenant = :tenant and uid in (:uids)",
                                Object[].class)
                        .setParameter("tenant", tenant)
                        .setParameter("uids", uids.isEmpty() ? List.of("") : uids)
                        .getResultList())
                .map(rows -> {
                    Map<String, String> holders = new HashMap<>();
                    rows.forEach(r -> holders.put((String) r[0], (String) r[1]));
                    return holders;
                });
    }

    /** @return how many of {@code uids} were claimed (fewer: another cluster got there first) */
    public Uni<Integer> claim(String tenant, String clusterId, List<String> uids) {
        return Panache.getSession()
                .chain(s -> Multi.createFrom()
                        .iterable(uids) // one session: one statement at a time
                        .onItem()
                        .transformToUniAndConcatenate(uid -> s.createNativeQuery(
                                        "insert into appliance_claim (tenant, uid, cluster_id) values (:tenant, :uid, :cluster) "
                                                + "on conflict do nothing")
                                .setParameter("tenant", tenant)
                                .setParameter("uid", uid)
                                .setParameter("cluster", clusterId)
                                .executeUpdate())
                        .collect()
                        .asList()
                        .map(counts ->
                                counts.stream().mapToInt(Integer::intValue).sum()));
    }

    public Uni<Integer> release(String clusterId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("delete from appliance_claim where cluster_id = :cluster")
                        .setParameter("cluster", clusterId)
                        .executeUpdate());
    }
}
