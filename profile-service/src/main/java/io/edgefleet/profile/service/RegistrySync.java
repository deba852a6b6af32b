package io.edgefleet.profile.service;

import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.profile.catalog.Catalog;
import io.edgefleet.profile.catalog.CatalogException;
import io.edgefleet.profile.catalog.HelmIndexParser;
import io.edgefleet.profile.catalog.IndexFetcher;
import io.edgefleet.profile.catalog.PackIndexParser;
import io.edgefleet.profile.catalog.RegistryUrls;
import io.edgefleet.profile.config.ProfileConfig;
import io.edgefleet.profile.repository.CatalogLock;
import io.edgefleet.profile.repository.Registry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads PACK and HELM registries: download and parse on a worker thread, then apply the catalog in one
 * transaction (new versions, withdrawals, re-links). A failed sync records its reason on the registry and
 * changes nothing else: the last good catalog stays.
 */
@ApplicationScoped
public class RegistrySync {

    private static final Logger LOG = Logger.getLogger(RegistrySync.class);

    @Inject
    CatalogChanges changes;

    @Inject
    ProfileConfig config;

    @Inject
    Vertx vertx;

    private volatile IndexFetcher fetcher;

    /** A sync's result: the registry afterwards, and on success what changed. */
    public record SyncOutcome(Registry registry, String error, CatalogChanges.Outcome changes, List<String> skipped) {}

    /** Syncs a tenant's PACK or HELM registry now. A failure is recorded on the registry and answered with 502. */
    public Uni<SyncOutcome> sync(String tenant, String id) {
        return Panache.withSession(() -> RegistryService.visible(tenant, id)).chain(registry -> {
            if (registry.builtIn()) {
                throw RegistryService.readOnly(
                        "the built-in catalog is loaded when the service starts; it cannot be synced");
            }
            if (!registry.remote()) {
                throw ProblemException.conflict(
                        "kind", "a LOCAL registry has no index to sync; publish versions to it instead");
            }
            return syncNow(registry);
        });
    }

    /** Syncs every PACK and HELM registry (of any tenant) not synced within the sync interval. */
    public Uni<Integer> syncDue() {
        Instant due = Instant.now().minus(config.registry().syncInterval());
        return Panache.withSession(() -> Registry.<Registry>list(
                        "kind in ?1 and (lastSyncAt is null or lastSyncAt < ?2)",
                        List.of(RegistryKind.PACK, RegistryKind.HELM),
                        due))
                .chain(registries -> Sequential.each(
                                registries, r -> syncNow(r).onFailure().recoverWithNull())
                        .replaceWith(registries.size()));
    }

    private Uni<SyncOutcome> syncNow(Registry registry) {
        String id = registry.id;
        RegistryKind kind = registry.kind;
        String url = registry.url;
        return vertx.executeBlocking(() -> fetch(kind, url), false)
                .onItemOrFailure()
                .transformToUni((fetched, failure) -> {
                    if (failure == null) {
                        return applyFetched(id, fetched);
                    }
                    String reason = failure instanceof CatalogException
                            ? failure.getMessage()
                            : "unexpected failure: " + failure.getClass().getSimpleName();
                    if (!(failure instanceof CatalogException)) {
                        LOG.errorf(failure, "sync of registry %s failed unexpectedly", id);
                    }
                    return recordFailure(id, reason);
                });
    }

    /** Blocking: download and parse. Runs on a worker thread. */
    private Fetched fetch(RegistryKind kind, String url) throws CatalogException {
        byte[] index = fetcher().fetch(RegistryUrls.index(url));
        Catalog catalog = kind == RegistryKind.HELM ? HelmIndexParser.parse(index) : PackIndexParser.parse(index);
        return new Fetched(catalog, sha256(index));
    }

    private record Fetched(Catalog catalog, String digest) {}

    private Uni<SyncOutcome> applyFetched(String id, Fetched fetched) {
        return Panache.withTransaction(() -> CatalogLock.exclusive()
                .chain(() -> Registry.<Registry>findById(id))
                .chain(registry -> {
                    if (registry == null) { // deleted while the index was downloading
                        throw ProblemException.notFound("registry", id);
                    }
                    Uni<CatalogChanges.Outcome> applied = fetched.digest().equals(registry.indexDigest)
                            ? Uni.createFrom().item(new CatalogChanges.Outcome(List.of(), List.of(), 0))
                            : changes.apply(registry, fetched.catalog(), true);
                    return applied.map(outcome -> {
                        Instant now = Instant.now();
                        registry.lastSyncAt = now;
                        registry.lastSuccessAt = now;
                        registry.lastSyncError = null;
                        registry.indexDigest = fetched.digest();
                        registry.updatedAt = now;
                        return new SyncOutcome(
                                registry, null, outcome, fetched.catalog().skipped());
                    });
                }));
    }

    private Uni<SyncOutcome> recordFailure(String id, String reason) {
        LOG.warnf("sync of registry %s failed (its last good catalog stays): %s", id, reason);
        return Panache.withTransaction(() -> Registry.<Registry>findById(id).map(registry -> {
            if (registry == null) {
                throw ProblemException.notFound("registry", id);
            }
            registry.lastSyncAt = Instant.now();
            registry.lastSyncError = reason;
            registry.updatedAt = registry.lastSyncAt;
            return new SyncOutcome(registry, reason, null, List.of());
        }));
    }

    private IndexFetcher fetcher() {
        if (fetcher == null) {
            var r = config.registry();
            fetcher = new IndexFetcher(r.fetchTimeout(), r.maxIndexBytes(), r.allowLoopback());
        }
        return fetcher;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
