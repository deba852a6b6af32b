package io.edgefleet.profile.service;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.messaging.out.ProfileEventPublisher;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.repository.PackVersionRow;
import io.edgefleet.profile.repository.Profile;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.version.SemVer;
import io.edgefleet.profile.version.VersionSpec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves every profile layer on a version train to the newest release on that train, after a catalog
 * change (built-in catalog at startup, registry sync, API publish). Every profile version of every
 * tenant that uses the pack is considered; pinned layers never move. A layer whose presets or values
 * do not fit the newer release stays where it is and says why in its {@code note}.
 * Runs in the catalog change's transaction, under the exclusive {@code CatalogLock}.
 */
@ApplicationScoped
public class Relinker {

    private static final Logger LOG = Logger.getLogger(Relinker.class);

    @Inject
    ProfileEventPublisher events;

    /** Re-links the profiles that use any of {@code packNames} from {@code registryId}. */
    public Uni<Integer> relink(String registryId, List<String> packNames) {
        List<Integer> relinked = new ArrayList<>();
        return Sequential.each(packNames, name -> relinkPack(registryId, name).invoke(relinked::add))
                .replaceWith(() -> relinked.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Integer> relinkPack(String registryId, String packName) {
        // bound as text: the PostgreSQL client would send a String parameter typed jsonb as a JSON string
        String probe = new String(
                EventJson.write(Map.of("layers", List.of(Map.of("registryId", registryId, "name", packName)))),
                StandardCharsets.UTF_8);
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select * from profile where stack @> cast(cast(:probe as text) as jsonb) order by id",
                                Profile.class)
                        .setParameter("probe", probe)
                        .getResultList())
                .chain(profiles -> profiles.isEmpty()
                        ? Uni.createFrom().item(0)
                        : PackVersion.find("registryId = ?1 and name = ?2 and withdrawn = false", registryId, packName)
                                .project(PackVersionRow.class)
                                .list()
                                .chain(versions -> {
                                    Map<UUID, Uni<PackVersion>> loaded = new HashMap<>();
                                    List<Integer> count = new ArrayList<>();
                                    return Sequential.each(
                                                    profiles,
                                                    p -> relinkProfile(p, registryId, packName, versions, loaded)
                                                            .invoke(count::add))
                                            .replaceWith(() -> count.stream()
                                                    .mapToInt(Integer::intValue)
                                                    .sum());
                                }));
    }

    private Uni<Integer> relinkProfile(
            Profile profile,
            String registryId,
            String packName,
            List<PackVersionRow> versions,
            Map<UUID, Uni<PackVersion>> cache) {
        List<ProfileLayer> before = profile.layers();
        List<ProfileLayer> after = new ArrayList<>(before);
        List<Integer> moved = new ArrayList<>();
        return Sequential.each(indexes(before, registryId, packName), i -> {
                    ProfileLayer layer = before.get(i);
                    Optional<PackVersionRow> newest = newestOnTrain(layer, versions);
                    if (newest.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    PackVersionRow target = newest.get();
                    return cache.computeIfAbsent(
                                    target.id(),
                                    id -> PackVersion.<PackVersion>findById(id)
                                            .memoize()
                                            .indefinitely())
                            .invoke(release -> {
                                Validator v = new Validator();
                                Map<String, Object> merged = LayerValues.merge(
                                        release,
                                        layer.presets(),
                                        LayerDraft.of(layer).overrides(),
                                        "layers[" + i + "]",
                                        v);
                                String problem = Validation.describe(v);
                                if (problem == null) {
                                    after.set(i, layer.relinked(release.version, Yaml.write(merged)));
                                    moved.add(i);
                                } else {
                                    String note = "release " + release.version + " on train " + layer.version()
                                            + " is not linked: " + problem;
                                    if (!note.equals(layer.note())) {
                                        after.set(i, layer.withNote(note));
                                        LOG.warnf(
                                                "profile %s %s (%s): %s",
                                                profile.name, profile.version, profile.id, note);
                                    }
                                }
                            });
                })
                .chain(() -> {
                    if (after.equals(before)) {
                        return Uni.createFrom().item(0);
                    }
                    profile.layers(after);
                    profile.updatedAt = Instant.now();
                    return profile.<Profile>persistAndFlush()
                            .chain(saved -> Sequential.each(moved, i -> {
                                LOG.infof(
                                        "profile %s %s (%s, tenant %s): layer %d %s re-linked %s -> %s on train %s",
                                        profile.name,
                                        profile.version,
                                        profile.id,
                                        profile.tenant,
                                        i,
                                        packName,
                                        before.get(i).resolvedVersion(),
                                        after.get(i).resolvedVersion(),
                                        after.get(i).version());
                                return events.relinked(profile, before.get(i), after.get(i));
                            }))
                            .replaceWith(moved.size());
                });
    }

    private static List<Integer> indexes(List<ProfileLayer> layers, String registryId, String packName) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ProfileLayer l = layers.get(i);
            if (l.source() != LayerSource.MANIFEST && registryId.equals(l.registryId()) && packName.equals(l.name())) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** The newest release on the layer's train if it is newer than the linked one; empty for pinned layers. */
    private static Optional<PackVersionRow> newestOnTrain(ProfileLayer layer, List<PackVersionRow> versions) {
        VersionSpec spec = VersionSpec.parse(layer.version());
        if (!(spec instanceof VersionSpec.Train)) {
            return Optional.empty();
        }
        SemVer current = SemVer.parse(layer.resolvedVersion());
        return versions.stream()
                .filter(r -> r.semver() != null && spec.accepts(r.semver()))
                .max(Comparator.comparing(PackVersionRow::semver))
                .filter(r -> current == null || r.semver().compareTo(current) > 0)
                .filter(r -> !Objects.equals(r.version(), layer.resolvedVersion()));
    }
}
