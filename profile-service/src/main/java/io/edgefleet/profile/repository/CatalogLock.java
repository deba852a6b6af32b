package io.edgefleet.profile.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Orders catalog changes against profile writes, with a PostgreSQL advisory lock held until the
 * transaction ends. A catalog change (new or withdrawn versions, then re-links) takes it exclusively;
 * a profile write takes it shared before it reads the catalog. So a profile never commits a train
 * resolved against a catalog that a concurrent change has already moved past: whichever commits second
 * sees the other's result.
 */
public final class CatalogLock {

    /** Advisory locks are per database, shared by every service's schema: this key is profile-service's own. */
    private static final long KEY = 0x0ED6EF_9AC5L;

    private CatalogLock() {}

    public static Uni<Void> exclusive() {
        return lock("pg_advisory_xact_lock");
    }

    public static Uni<Void> shared() {
        return lock("pg_advisory_xact_lock_shared");
    }

    private static Uni<Void> lock(String function) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from (select " + function + "(:key)) as locked", Long.class)
                        .setParameter("key", KEY)
                        .getSingleResult())
                .replaceWithVoid();
    }
}
