package io.edgefleet.profile.service;

import io.edgefleet.profile.catalog.Catalog;
import io.edgefleet.profile.catalog.CatalogPack;
import io.edgefleet.profile.catalog.CatalogRelease;
import io.edgefleet.profile.messaging.out.ProfileEventPublisher;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.PackVersionRow;
import io.edgefleet.profile.repository.Registry;
import io.edgefleet.profile.version.SemVer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Brings a registry's stored versions in line with what it offers now: new versions are stored and
 * published (one event each), versions gone from the index are withdrawn (kept for the profiles that
 * pin them), and then profiles on affected trains are re-linked. Releases are immutable: a changed entry
 * under a known version is ignored (publish a new version instead). Call inside a transaction that holds
 * the exclusive {@code CatalogLock}.
 */
@ApplicationScoped
public class CatalogChanges {

    private static final Logger LOG = Logger.getLogger(CatalogChanges.class);

    @Inject
    ProfileEventPublisher events;

    @Inject
    Relinker relinker;

    /** What a change did. {@code added} lists {@code name@version}. */
    public record Outcome(List<String> added, List<String> withdrawn, int relinked) {}

    /** @param withdrawMissing whether versions missing from {@code catalog} are withdrawn (true for a full index) */
    public Uni<Outcome> apply(Registry registry, Catalog catalog, boolean withdrawMissing) {
        return PackVersion.find("registryId", registry.id)
                .project(PackVersionRow.class)
                .list()
                .chain(existing -> {
                    Map<String, PackVersionRow> stored = new HashMap<>();
                    existing.forEach(row -> stored.put(key(row.name(), row.semver()), row));
                    Set<String> seen = new HashSet<>();
                    List<PackVersion> added = new ArrayList<>();
                    List<UUID> restored = new ArrayList<>();
                    Set<String> touched = new LinkedHashSet<>();
                    Instant now = Instant.now();
                    for (CatalogPack pack : catalog.packs()) {
                        for (CatalogRelease release : pack.releases()) {
                            String key = key(pack.name(), SemVer.parse(release.version()));
                            seen.add(key);
                            PackVersionRow row = stored.get(key);
                            if (row == null) {
                                added.add(newVersion(registry, pack, release, now));
                                touched.add(pack.name());
                            } else if (row.withdrawn()) {
                                restored.add(row.id());
                                touched.add(pack.name());
                            }
                        }
                    }
                    List<PackVersionRow> gone = withdrawMissing
                            ? existing.stream()
                                    .filter(r -> !r.withdrawn() && !seen.contains(key(r.name(), r.semver())))
                                    .toList()
                            : List.of();
                    return store(registry, added)
                            .chain(() -> setWithdrawn(restored, false))
                            .chain(() -> setWithdrawn(
                                    gone.stream().map(PackVersionRow::id).toList(), true))
                            .chain(() -> relinker.relink(registry.id, List.copyOf(touched)))
                            .map(relinked -> {
                                List<String> addedNames = added.stream()
                                        .map(v -> v.name + "@" + v.version)
                                        .toList();
                                List<String> goneNames = gone.stream()
                                        .map(v -> v.name() + "@" + v.version())
                                        .toList();
                                if (!added.isEmpty() || !gone.isEmpty()) {
                                    LOG.infof(
                                            "registry %s (%s): %d version(s) added, %d restored, %d withdrawn, %d layer(s) re-linked",
                                            registry.name,
                                            registry.id,
                                            added.size(),
                                            restored.size(),
                                            gone.size(),
                                            relinked);
                                }
                                return new Outcome(addedNames, goneNames, relinked);
                            });
                });
    }

    private Uni<Void> store(Registry registry, List<PackVersion> added) {
        if (added.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.persistAll(added.toArray()).chain(session::flush))
                .chain(() -> Sequential.each(added, version -> events.packPublished(registry, version)));
    }

    private static Uni<Void> setWithdrawn(List<UUID> ids, boolean withdrawn) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return PackVersion.update("withdrawn = ?1 where id in ?2", withdrawn, ids)
                .replaceWithVoid();
    }

    static PackVersion newVersion(Registry registry, CatalogPack pack, CatalogRelease release, Instant now) {
        PackVersion v = new PackVersion();
        v.id = UUID.randomUUID();
        v.registryId = registry.id;
        v.name = pack.name();
        v.layer = pack.layer();
        v.addonType = pack.addonType();
        v.displayName = pack.displayName();
        v.description = pack.description();
        v.version = release.version();
        v.prerelease = SemVer.parse(release.version()).isPreRelease();
        v.appVersion = release.appVersion();
        v.digest = release.digest();
        v.releasedAt = release.created();
        v.defaults = release.defaults() == null ? "" : release.defaults();
        v.extras = new PackVersion.Extras(List.copyOf(release.presets()), List.copyOf(release.urls()));
        v.publishedAt = now;
        return v;
    }

    /** Versions are identified by precedence, so "v1.2.0" in an index is the stored "1.2.0". */
    private static String key(String name, SemVer version) {
        return name + "@" + version.canonical();
    }
}
