package io.edgefleet.profile.service;

import io.edgefleet.profile.catalog.Catalog;
import io.edgefleet.profile.catalog.CatalogException;
import io.edgefleet.profile.catalog.PackIndexParser;
import io.edgefleet.profile.repository.CatalogLock;
import io.edgefleet.profile.repository.Registry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads the built-in catalog ({@code catalog/builtin-packs.yaml}, a pack index shipped in the jar) at
 * startup, like a sync of the registry {@code builtin}: versions new in this build are published and
 * re-link profiles on their trains; versions dropped from it are withdrawn. A malformed built-in catalog
 * stops the service (it is a build error, and a test catches it first).
 */
@ApplicationScoped
public class BuiltinCatalog {

    public static final String RESOURCE = "catalog/builtin-packs.yaml";
    private static final Logger LOG = Logger.getLogger(BuiltinCatalog.class);

    @Inject
    CatalogChanges changes;

    void load(@Observes StartupEvent started) throws Throwable {
        apply(read());
    }

    /**
     * Applies a version of the built-in catalog (blocking; not on an event loop). An index identical to
     * the last one applied changes nothing.
     */
    public CatalogChanges.Outcome apply(byte[] index) throws Throwable {
        Catalog catalog;
        try {
            catalog = PackIndexParser.parse(index);
        } catch (CatalogException e) {
            throw new IllegalStateException("the built-in catalog " + RESOURCE + " is invalid: " + e.getMessage());
        }
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(index));
        CatalogChanges.Outcome outcome =
                VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> CatalogLock.exclusive()
                        .chain(() -> Registry.<Registry>findById(Registry.BUILTIN_ID))
                        .chain(registry -> {
                            if (digest.equals(registry.indexDigest)) {
                                return Uni.createFrom().item(new CatalogChanges.Outcome(List.of(), List.of(), 0));
                            }
                            return changes.apply(registry, catalog, true).invoke(() -> {
                                registry.indexDigest = digest;
                                registry.lastSyncAt = Instant.now();
                                registry.lastSuccessAt = registry.lastSyncAt;
                                registry.updatedAt = registry.lastSyncAt;
                            });
                        })));
        LOG.infof(
                "built-in catalog: %d packs, %d versions (%d new, %d withdrawn, %d layers re-linked)",
                catalog.packs().size(),
                catalog.releaseCount(),
                outcome.added().size(),
                outcome.withdrawn().size(),
                outcome.relinked());
        return outcome;
    }

    public static byte[] read() throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            return in.readAllBytes();
        }
    }
}
