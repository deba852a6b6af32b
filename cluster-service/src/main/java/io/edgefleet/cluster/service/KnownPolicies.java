package io.edgefleet.cluster.service;

import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.kit.rest.Validator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The tenants' policies as policy-service publishes them: a cluster may name policies when it is created,
 * and only existing ones of its tenant. Kept from policy events, in the consumer's transaction.
 */
@ApplicationScoped
public class KnownPolicies {

    public Uni<Void> apply(String tenant, PolicySnapshot policy, boolean deleted) {
        return Panache.getSession()
                .chain(s -> deleted
                        ? s.createNativeQuery("delete from known_policy where id = :id and tenant = :tenant")
                                .setParameter("id", policy.id())
                                .setParameter("tenant", tenant)
                                .executeUpdate()
                        : s.createNativeQuery(
                                        "insert into known_policy (id, tenant, kind, name) values (:id, :tenant, :kind, :name) "
                                                + "on conflict (id) do update set kind = excluded.kind, name = excluded.name "
                                                + "where known_policy.tenant = excluded.tenant")
                                .setParameter("id", policy.id())
                                .setParameter("tenant", tenant)
                                .setParameter("kind", policy.kind().name())
                                .setParameter("name", policy.name() == null ? "" : policy.name())
                                .executeUpdate())
                .replaceWithVoid();
    }

    /** Adds an error for every id that is not a policy of the tenant. */
    public Uni<Void> check(String tenant, List<String> policyIds, String field, Validator v) {
        if (policyIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "select id from known_policy where tenant = :tenant and id in (:ids)", String.class)
                        .setParameter("tenant", tenant)
                        .setParameter("ids", policyIds)
                        .getResultList())
                .invoke(known -> {
                    for (int i = 0; i < policyIds.size(); i++) {
                        v.require(
                                known.contains(policyIds.get(i)),
                                field + "[" + i + "]",
                                "no policy '" + policyIds.get(i) + "' in your tenant");
                    }
                })
                .replaceWithVoid();
    }
}
