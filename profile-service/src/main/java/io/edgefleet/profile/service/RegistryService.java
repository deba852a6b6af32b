package io.edgefleet.profile.service;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.profile.catalog.Catalog;
import io.edgefleet.profile.catalog.CatalogPack;
import io.edgefleet.profile.repository.CatalogLock;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.Registry;
import io.edgefleet.profile.version.SemVer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Registries of a tenant: add, list, delete and, for LOCAL registries, publish pack versions.
 * (Syncing PACK and HELM registries is {@link RegistrySync}.)
 */
@ApplicationScoped
public class RegistryService {

    @Inject
    CatalogChanges changes;

    @WithTransaction
    public Uni<Registry> create(String tenant, String name, RegistryKind kind, String url) {
        return Registry.count("tenant = ?1 and name = ?2", tenant, name).chain(count -> {
            if (count > 0) {
                throw ProblemException.conflict("name", "a registry named '" + name + "' already exists");
            }
            Registry r = new Registry();
            r.id = UUID.randomUUID().toString();
            r.tenant = tenant;
            r.name = name;
            r.kind = kind;
            r.url = url;
            r.createdAt = Instant.now();
            r.updatedAt = r.createdAt;
            return r.<Registry>persist();
        });
    }

    /** One page of the registries {@code tenant} sees: the built-in registry first, then the tenant's own by name. */
    @WithSession
    public Uni<Page<Registry>> list(String tenant, int page, int size) {
        return Registry.<Registry>find(
                        "from Registry where tenant is null or tenant = ?1 "
                                + "order by case when tenant is null then 0 else 1 end, name, id",
                        tenant)
                .page(page, size)
                .list()
                .chain(items -> Registry.count("tenant is null or tenant = ?1", tenant)
                        .map(total -> new Page<>(items, page, size, total)));
    }

    @WithSession
    public Uni<Registry> get(String tenant, String id) {
        return visible(tenant, id);
    }

    /** Packs and versions (not withdrawn) per registry id: {@code [packs, versions]}. */
    @WithSession
    public Uni<Map<String, long[]>> counts(List<String> registryIds) {
        if (registryIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "select registryId, count(distinct name), count(*) from PackVersion "
                                        + "where withdrawn = false and registryId in :ids group by registryId",
                                Object[].class)
                        .setParameter("ids", registryIds)
                        .getResultList())
                .map(rows -> {
                    Map<String, long[]> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(
                            (String) row[0],
                            new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()}));
                    return counts;
                });
    }

    /** Deletes a tenant's registry with its versions; refused while a profile of the tenant uses it. */
    @WithTransaction
    public Uni<Void> delete(String tenant, String id) {
        return CatalogLock.exclusive().chain(() -> owned(tenant, id, "deleted")).chain(registry -> {
            // bound as text: the PostgreSQL client would send a String parameter typed jsonb as a JSON string
            String probe = new String(
                    EventJson.write(Map.of("layers", List.of(Map.of("registryId", id)))), StandardCharsets.UTF_8);
            return Panache.getSession()
                    .chain(s -> s.createNativeQuery(
                                    "select name || ' ' || version from profile "
                                            + "where tenant = :tenant and stack @> cast(cast(:probe as text) as jsonb) order by name",
                                    String.class)
                            .setParameter("tenant", tenant)
                            .setParameter("probe", probe)
                            .getResultList())
                    .chain(users -> {
                        if (!users.isEmpty()) {
                            throw ProblemException.conflict(
                                    "id",
                                    "registry '" + registry.name + "' is used by " + users.size()
                                            + " profile version(s): "
                                            + String.join(", ", users.subList(0, Math.min(5, users.size())))
                                            + (users.size() > 5 ? ", ..." : "") + "; change or delete them first");
                        }
                        return PackVersion.delete("registryId", id).chain(registry::delete);
                    });
        });
    }

    /** Publishes one version of a pack to a tenant's LOCAL registry; trains that reach it are re-linked. */
    @WithTransaction
    public Uni<PackVersion> publish(String tenant, String id, CatalogPack pack) {
        String version = pack.releases().get(0).version();
        return CatalogLock.exclusive()
                .chain(() -> owned(tenant, id, "published to"))
                .chain(registry -> {
                    if (registry.kind != RegistryKind.LOCAL) {
                        throw ProblemException.conflict(
                                "kind",
                                "only LOCAL registries accept published versions; '" + registry.name + "' is a "
                                        + registry.kind + " registry and follows its index");
                    }
                    return PackVersion.<PackVersion>list("registryId = ?1 and name = ?2", id, pack.name())
                            .chain(existing -> {
                                SemVer semver = SemVer.parse(version);
                                existing.stream()
                                        .filter(v -> semver.equals(v.semver()))
                                        .findFirst()
                                        .ifPresent(v -> {
                                            throw ProblemException.conflict(
                                                    "version",
                                                    pack.name() + " " + v.version
                                                            + " is already published; releases are immutable");
                                        });
                                existing.stream()
                                        .filter(v -> v.layer != pack.layer())
                                        .findFirst()
                                        .ifPresent(v -> {
                                            throw ProblemException.conflict(
                                                    "layer",
                                                    pack.name() + " is a " + v.layer
                                                            + " pack; its versions cannot change layer");
                                        });
                                return changes.apply(registry, new Catalog(List.of(pack), List.of()), false)
                                        .chain(() -> PackVersion.<PackVersion>find(
                                                        "registryId = ?1 and name = ?2 and version = ?3",
                                                        id,
                                                        pack.name(),
                                                        version)
                                                .singleResult());
                            });
                });
    }

    static Uni<Registry> visible(String tenant, String id) {
        return Registry.visible(tenant, id).map(r -> {
            if (r == null) {
                throw ProblemException.notFound("registry", id);
            }
            return r;
        });
    }

    /** A registry the tenant may change: its own (the built-in one is read-only). */
    private static Uni<Registry> owned(String tenant, String id, String action) {
        return visible(tenant, id).map(r -> {
            if (r.builtIn()) {
                throw readOnly("the built-in registry is read-only; it cannot be " + action);
            }
            return r;
        });
    }

    static ProblemException readOnly(String detail) {
        return new ProblemException(403, "urn:edgefleet:problem:read-only", "Forbidden", detail, List.of());
    }
}
