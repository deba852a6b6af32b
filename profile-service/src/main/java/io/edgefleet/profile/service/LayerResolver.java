package io.edgefleet.profile.service;

import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.RegistryKind;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.PackVersionRow;
import io.edgefleet.profile.repository.Registry;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.version.VersionSpec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks layer drafts against the catalog the tenant can see and resolves them: registry, pack,
 * version (pinned or newest on the train), presets and merged values. Runs inside the caller's session.
 */
@ApplicationScoped
public class LayerResolver {

    /**
     * @return one entry per draft: the resolved layer, or null where errors were added to {@code v}
     */
    public Uni<List<ProfileLayer>> resolve(String tenant, List<LayerDraft> drafts, Validator v) {
        List<LayerDraft> fromRegistries = drafts.stream()
                .filter(d -> d != null && d.source() != LayerSource.MANIFEST)
                .toList();
        Set<String> registryIds =
                fromRegistries.stream().map(LayerDraft::registryId).collect(Collectors.toSet());
        Set<String> names = fromRegistries.stream().map(LayerDraft::name).collect(Collectors.toSet());
        Uni<List<Registry>> registries = registryIds.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Registry.list("id in ?1 and (tenant is null or tenant = ?2)", registryIds, tenant);
        return registries.chain(visible -> {
            Map<String, Registry> byId = visible.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
            Uni<List<PackVersionRow>> rows = byId.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : PackVersion.find("registryId in ?1 and name in ?2", byId.keySet(), names)
                            .project(PackVersionRow.class)
                            .list();
            return rows.chain(all -> {
                Map<String, List<PackVersionRow>> byPack =
                        all.stream().collect(Collectors.groupingBy(r -> key(r.registryId(), r.name())));
                List<PackVersionRow> chosen = new ArrayList<>();
                Map<String, Integer> seen = new HashMap<>();
                for (LayerDraft draft : drafts) {
                    Integer earlier = draft == null ? null : seen.putIfAbsent(identity(draft), draft.index());
                    if (earlier != null) {
                        v.require(
                                false,
                                draft.field() + ".name",
                                "'" + draft.name() + "' is already layer " + earlier
                                        + "; a profile has each pack, chart or manifest layer once");
                    }
                    chosen.add(
                            draft == null || earlier != null || draft.source() == LayerSource.MANIFEST
                                    ? null
                                    : choose(
                                            draft,
                                            byId.get(draft.registryId()),
                                            byPack.getOrDefault(key(draft.registryId(), draft.name()), List.of()),
                                            v));
                }
                List<UUID> ids = chosen.stream()
                        .filter(Objects::nonNull)
                        .map(PackVersionRow::id)
                        .distinct()
                        .toList();
                Uni<List<PackVersion>> releases =
                        ids.isEmpty() ? Uni.createFrom().item(List.of()) : PackVersion.list("id in ?1", ids);
                return releases.map(loaded -> {
                    Map<UUID, PackVersion> release =
                            loaded.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
                    List<ProfileLayer> layers = new ArrayList<>();
                    for (int i = 0; i < drafts.size(); i++) {
                        LayerDraft draft = drafts.get(i);
                        PackVersionRow row = chosen.get(i);
                        layers.add(
                                draft == null
                                        ? null
                                        : draft.source() == LayerSource.MANIFEST
                                                ? manifestOnly(draft)
                                                : row == null ? null : layer(draft, release.get(row.id()), v));
                    }
                    return layers;
                });
            });
        });
    }

    /** The release a draft links, or null after adding the reason to {@code v}. */
    private static PackVersionRow choose(
            LayerDraft draft, Registry registry, List<PackVersionRow> versions, Validator v) {
        String at = draft.field();
        if (registry == null) {
            v.require(
                    false,
                    at + ".registry",
                    "no registry '" + draft.registryId() + "' (use 'builtin' or one of your registries)");
            return null;
        }
        boolean helm = registry.kind == RegistryKind.HELM;
        if (helm != (draft.source() == LayerSource.HELM)) {
            v.require(
                    false,
                    at + ".registry",
                    "'" + registry.name + "' is a " + registry.kind + " registry; "
                            + (helm ? "its charts are HELM layers" : "HELM layers need a Helm chart registry"));
            return null;
        }
        if (versions.isEmpty()) {
            v.require(
                    false,
                    at + ".name",
                    "registry '" + registry.name + "' has no " + (helm ? "chart" : "pack") + " '" + draft.name() + "'");
            return null;
        }
        VersionSpec spec = draft.version();
        // a pinned layer may keep a withdrawn release; a train only links what the registry still offers
        List<PackVersionRow> candidates = spec instanceof VersionSpec.Pinned
                ? versions
                : versions.stream().filter(r -> !r.withdrawn()).toList();
        Optional<PackVersionRow> match = candidates.stream()
                .filter(r -> r.semver() != null && spec.accepts(r.semver()))
                .max(Comparator.comparing(PackVersionRow::semver));
        if (match.isEmpty()) {
            String newest = versions.stream()
                    .filter(r -> !r.withdrawn() && r.semver() != null)
                    .max(Comparator.comparing(PackVersionRow::semver))
                    .map(PackVersionRow::version)
                    .orElse("none");
            v.require(
                    false,
                    at + ".version",
                    spec instanceof VersionSpec.Pinned
                            ? draft.name() + " has no version " + spec + " (newest: " + newest + ")"
                            : draft.name() + " has no release on train " + spec + " (newest: " + newest + ")");
            return null;
        }
        return match.get();
    }

    private static ProfileLayer layer(LayerDraft draft, PackVersion release, Validator v) {
        Map<String, Object> merged = LayerValues.merge(release, draft.presets(), draft.overrides(), draft.field(), v);
        if (merged == null) {
            return null;
        }
        PackLayer kind = draft.source() == LayerSource.HELM ? PackLayer.ADDON : release.layer;
        return new ProfileLayer(
                draft.index(),
                draft.source(),
                kind,
                draft.registryId(),
                draft.name(),
                draft.version().toString(),
                release.version,
                draft.presets(),
                draft.values(),
                Yaml.write(merged),
                draft.manifests(),
                null);
    }

    private static ProfileLayer manifestOnly(LayerDraft draft) {
        return new ProfileLayer(
                draft.index(),
                LayerSource.MANIFEST,
                PackLayer.ADDON,
                null,
                draft.name(),
                null,
                null,
                List.of(),
                null,
                null,
                draft.manifests(),
                null);
    }

    /** What makes two layers the same: the pack or chart of a registry, or the manifest layer's name. */
    private static String identity(LayerDraft draft) {
        return draft.source() == LayerSource.MANIFEST
                ? "manifest:" + draft.name()
                : key(draft.registryId(), draft.name());
    }

    private static String key(String registryId, String name) {
        return registryId + "/" + name;
    }
}
