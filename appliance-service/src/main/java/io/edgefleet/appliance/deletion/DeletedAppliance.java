package io.edgefleet.appliance.deletion;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;

/** When a (tenant, uid) was deleted (V5__deleted_appliances.sql), so that its late reports do not bring it back. */
public final class DeletedAppliance {

    private DeletedAppliance() {}

    /** Records the delete (inside the caller's transaction), and forgets deletes older than {@code forgetBefore}. */
    public static Uni<Void> record(String tenant, String uid, Instant deletedAt, Instant forgetBefore) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("delete from deleted_appliance where deleted_at < :before")
                        .setParameter("before", forgetBefore)
                        .executeUpdate()
                        .chain(() -> session.createNativeQuery(
                                        "insert into deleted_appliance (tenant, uid, deleted_at) values (:t, :u, :at)"
                                                + " on conflict (tenant, uid) do update set deleted_at = excluded.deleted_at")
                                .setParameter("t", tenant)
                                .setParameter("u", uid)
                                .setParameter("at", deletedAt)
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** The uid's delete, if it is remembered (deleted after {@code notBefore}); null otherwise. */
    public static Uni<DeletedUid> find(String tenant, String uid, Instant notBefore) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select deleted_at from deleted_appliance where tenant = :t and uid = :u"
                                        + " and deleted_at >= :since",
                                Instant.class)
                        .setParameter("t", tenant)
                        .setParameter("u", uid)
                        .setParameter("since", notBefore)
                        .getResultList())
                .map(DeletedAppliance::first);
    }

    private static DeletedUid first(List<Instant> deletedAt) {
        return deletedAt.isEmpty() ? null : new DeletedUid(deletedAt.get(0));
    }
}
