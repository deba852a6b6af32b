package io.edgefleet.profile.service;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.PackVersionRow;
import io.edgefleet.profile.repository.Registry;
import io.edgefleet.profile.version.SemVer;
import io.edgefleet.profile.version.VersionRange;
import io.edgefleet.profile.version.VersionSpec;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Packs and charts the tenant can see: the built-in catalog and its own registries. Read only. */
@ApplicationScoped
public class PackService {

    /** A pack of one registry with the versions that matched, newest first. */
    public record PackMatch(
            Registry registry,
            String name,
            PackLayer layer,
            String addonType,
            String displayName,
            String description,
            List<PackVersionRow> versions) {}

    /** Search filters; null means "any". Versions are matched one by one; packs without a match are left out. */
    public record Search(PackLayer layer, String name, String registryId, VersionRange versions, boolean prereleases) {}

    @WithSession
    public Uni<Page<PackMatch>> search(String tenant, Search search, int page, int size) {
        return Registry.<Registry>list("tenant is null or tenant = ?1", tenant).chain(visible -> {
            Map<String, Registry> registries = visible.stream()
                    .filter(r -> search.registryId() == null || r.id.equals(search.registryId()))
                    .collect(Collectors.toMap(r -> r.id, Function.identity()));
            if (search.registryId() != null && registries.isEmpty()) {
                throw ProblemException.invalid("registry", "no registry '" + search.registryId() + "'");
            }
            StringBuilder query = new StringBuilder("registryId in :registries and withdrawn = false");
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("registries", registries.keySet());
            if (search.layer() != null) {
                query.append(" and layer = :layer");
                params.put("layer", search.layer());
            }
            if (search.name() != null) { // names are [a-z0-9._-]: only '_' needs escaping
                query.append(" and name like :name escape '\\'");
                params.put("name", "%" + search.name().replace("_", "\\_") + "%");
            }
            if (!search.prereleases()) {
                query.append(" and prerelease = false");
            }
            return PackVersion.find(query.toString(), params)
                    .project(PackVersionRow.class)
                    .list()
                    .map(rows -> {
                        Map<String, List<PackVersionRow>> byPack = rows.stream()
                                .filter(r -> r.semver() != null
                                        && (search.versions() == null
                                                || search.versions().contains(r.semver())))
                                .collect(Collectors.groupingBy(r -> r.registryId() + "/" + r.name()));
                        List<PackMatch> matches = byPack.values().stream()
                                .map(versions ->
                                        match(registries.get(versions.get(0).registryId()), versions))
                                .sorted(Comparator.comparing(
                                                (PackMatch m) -> !m.registry().builtIn())
                                        .thenComparing(m -> m.registry().name)
                                        .thenComparing(PackMatch::name))
                                .toList();
                        int from = Math.min(page * size, matches.size());
                        return new Page<>(
                                matches.subList(from, Math.min(from + size, matches.size())),
                                page,
                                size,
                                matches.size());
                    });
        });
    }

    /** One pack with every version (pre-releases and withdrawn ones flagged), or 404. */
    @WithSession
    public Uni<PackMatch> pack(String tenant, String registryId, String name) {
        return visibleRegistry(tenant, registryId)
                .chain(registry -> PackVersion.find("registryId = ?1 and name = ?2", registryId, name)
                        .project(PackVersionRow.class)
                        .list()
                        .map(rows -> {
                            if (rows.isEmpty()) {
                                throw ProblemException.notFound("pack", registryId + "/" + name);
                            }
                            return match(registry, rows);
                        }));
    }

    /**
     * One version with its defaults and presets. {@code version} may be a train ({@code 1.28.x}): the
     * answer is then the release the train links today.
     */
    @WithSession
    public Uni<PackVersion> version(String tenant, String registryId, String name, VersionSpec version) {
        return visibleRegistry(tenant, registryId)
                .chain(registry -> PackVersion.find("registryId = ?1 and name = ?2", registryId, name)
                        .project(PackVersionRow.class)
                        .list()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                throw ProblemException.notFound("pack", registryId + "/" + name);
                            }
                            List<PackVersionRow> candidates = version instanceof VersionSpec.Pinned
                                    ? rows
                                    : rows.stream().filter(r -> !r.withdrawn()).toList();
                            PackVersionRow row = candidates.stream()
                                    .filter(r -> r.semver() != null && version.accepts(r.semver()))
                                    .max(Comparator.comparing(PackVersionRow::semver))
                                    .orElseThrow(() -> ProblemException.notFound(
                                            "version", registryId + "/" + name + "/" + version));
                            return PackVersion.<PackVersion>findById(row.id());
                        }));
    }

    private static PackMatch match(Registry registry, List<PackVersionRow> rows) {
        List<PackVersionRow> versions = new ArrayList<>(rows);
        versions.sort(
                Comparator.comparing(PackVersionRow::semver, Comparator.nullsFirst(Comparator.<SemVer>naturalOrder()))
                        .reversed());
        PackVersionRow newest = versions.get(0);
        return new PackMatch(
                registry,
                newest.name(),
                newest.layer(),
                newest.addonType(),
                newest.displayName(),
                newest.description(),
                versions);
    }

    private static Uni<Registry> visibleRegistry(String tenant, String id) {
        return Registry.visible(tenant, id).map(r -> {
            if (r == null) {
                throw ProblemException.notFound("registry", id);
            }
            return r;
        });
    }
}
