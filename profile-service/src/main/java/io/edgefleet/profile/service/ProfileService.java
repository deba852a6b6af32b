package io.edgefleet.profile.service;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.events.payload.ProfileType;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.messaging.out.ProfileEventPublisher;
import io.edgefleet.profile.repository.CatalogLock;
import io.edgefleet.profile.repository.Profile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Cluster profiles of a tenant. Every write resolves its layers against the catalog (under the shared
 * {@code CatalogLock}, so a concurrent catalog change cannot slip between resolution and commit) and
 * records its event in the same transaction.
 */
@ApplicationScoped
public class ProfileService {

    @Inject
    LayerResolver resolver;

    @Inject
    ProfileEventPublisher events;

    /** Filters of the profile list; null means "any". */
    public record Filter(String name, ProfileType type) {}

    /** @param v holds the errors found without the catalog; all errors are reported together */
    @WithTransaction
    public Uni<Profile> create(String tenant, ProfileDraft draft, Validator v) {
        return CatalogLock.shared()
                .chain(() -> resolve(tenant, draft.type(), draft.cloudType(), draft.layers(), v))
                .call(layers -> requireNew(tenant, draft.name(), draft.version()))
                .chain(layers -> {
                    Profile p = newRow(
                            tenant, draft.name(), draft.version(), draft.description(), draft.tags(), draft, layers);
                    return p.<Profile>persistAndFlush()
                            .call(saved -> events.profile(saved, EventTypes.PROFILE_CREATED));
                });
    }

    @WithSession
    public Uni<Profile> get(String tenant, UUID id) {
        return find(tenant, id);
    }

    @WithSession
    public Uni<Page<Profile>> list(String tenant, Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder("tenant = :tenant");
        Map<String, Object> params = new TreeMap<>();
        params.put("tenant", tenant);
        if (filter.name() != null) {
            where.append(" and lower(name) like :name escape '\\'");
            params.put(
                    "name",
                    "%"
                            + filter.name()
                                    .toLowerCase()
                                    .replace("\\", "\\\\")
                                    .replace("%", "\\%")
                                    .replace("_", "\\_") + "%");
        }
        if (filter.type() != null) {
            where.append(" and type = :type");
            params.put("type", filter.type().name());
        }
        return Panache.getSession().chain(session -> {
            // versions are MAJOR.MINOR.PATCH: ordered numerically, so 1.10.0 follows 1.9.0
            var select = session.createNativeQuery(
                    "select * from profile where " + where + " order by name, string_to_array(version, '.')::int[]",
                    Profile.class);
            var count = session.createNativeQuery("select count(*) from profile where " + where, Long.class);
            params.forEach((name, value) -> {
                select.setParameter(name, value);
                count.setParameter(name, value);
            });
            select.setFirstResult(page * size).setMaxResults(size);
            return select.getResultList()
                    .chain(items -> count.getSingleResult().map(total -> new Page<>(items, page, size, total)));
        });
    }

    /** Every version of the profile {@code id} belongs to, oldest first. */
    @WithSession
    public Uni<List<Profile>> versions(String tenant, UUID id) {
        return find(tenant, id)
                .chain(p -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "select * from profile where tenant = :tenant and name = :name order by string_to_array(version, '.')::int[]",
                                        Profile.class)
                                .setParameter("tenant", tenant)
                                .setParameter("name", p.name)
                                .getResultList()));
    }

    /** Replaces description, tags and layers of one profile version. */
    @WithTransaction
    public Uni<Profile> update(
            String tenant,
            UUID id,
            String description,
            Map<String, String> tags,
            List<LayerDraft> layers,
            ProfileRollout rollout,
            Validator v) {
        return CatalogLock.shared()
                .chain(() -> find(tenant, id))
                .chain(p -> resolve(tenant, p.type, p.cloudType, layers, v).chain(resolved -> {
                    p.description = description;
                    if (rollout != null) {
                        p.rollout = rollout;
                    }
                    p.tags = new TreeMap<>(tags == null ? Map.of() : tags);
                    p.layers(resolved);
                    p.updatedAt = Instant.now();
                    return p.<Profile>persistAndFlush();
                }))
                .call(saved -> events.profile(saved, EventTypes.PROFILE_UPDATED))
                .onFailure(e -> e instanceof OptimisticLockException || e instanceof StaleStateException)
                .transform(e -> ProblemException.conflict(
                        null, "the profile changed while it was being updated (e.g. a re-link); read it and retry"));
    }

    /**
     * A new version of the profile as a new row; fields not given are copied from {@code id}'s version.
     *
     * @param layers null to keep the source's layers (resolved again: trains move to their newest release)
     */
    @WithTransaction
    public Uni<Profile> newVersion(
            String tenant,
            UUID id,
            String version,
            String description,
            Map<String, String> tags,
            List<LayerDraft> layers,
            ProfileRollout rollout,
            Validator v) {
        return CatalogLock.shared()
                .chain(() -> find(tenant, id))
                .chain(source -> resolve(
                                tenant, source.type, source.cloudType, layers != null ? layers : drafts(source), v)
                        .call(resolved -> requireNew(tenant, source.name, version))
                        .chain(resolved -> {
                            Profile p = newRow(
                                    tenant,
                                    source.name,
                                    version,
                                    description != null ? description : source.description,
                                    tags != null ? tags : source.tags,
                                    null,
                                    resolved);
                            p.type = source.type;
                            p.environment = source.environment;
                            p.cloudType = source.cloudType;
                            p.rollout = rollout != null ? rollout : source.rollout;
                            return p.<Profile>persistAndFlush();
                        }))
                .call(saved -> events.profile(saved, EventTypes.PROFILE_VERSION_CREATED));
    }

    /** A copy of one profile version under a new name (version {@code version}, default 1.0.0). */
    @WithTransaction
    public Uni<Profile> cloneProfile(
            String tenant, UUID id, String name, String version, String description, Validator v) {
        return CatalogLock.shared()
                .chain(() -> find(tenant, id))
                .chain(source -> resolve(tenant, source.type, source.cloudType, drafts(source), v)
                        .call(resolved -> requireNew(tenant, name, version))
                        .chain(resolved -> {
                            Profile p = newRow(
                                    tenant,
                                    name,
                                    version,
                                    description != null ? description : source.description,
                                    source.tags,
                                    null,
                                    resolved);
                            p.type = source.type;
                            p.environment = source.environment;
                            p.cloudType = source.cloudType;
                            p.rollout = source.rollout;
                            return p.<Profile>persistAndFlush();
                        }))
                .call(saved -> events.profile(saved, EventTypes.PROFILE_CREATED));
    }

    @WithTransaction
    public Uni<Void> delete(String tenant, UUID id) {
        return find(tenant, id)
                .call(p -> events.profile(p, EventTypes.PROFILE_DELETED))
                .chain(p -> p.delete());
    }

    /** Resolves the layers, checks the stack and cloud-type rules, and fails with every error at once. */
    private Uni<List<ProfileLayer>> resolve(
            String tenant, ProfileType type, CloudType cloudType, List<LayerDraft> drafts, Validator v) {
        return resolver.resolve(tenant, drafts, v).map(layers -> {
            List<PackLayer> kinds =
                    layers.stream().map(l -> l == null ? null : l.layer()).toList();
            StackRules.check(type, kinds, v);
            CloudTypeRules.check(cloudType, layers, v);
            v.throwIfInvalid();
            return layers;
        });
    }

    private static List<LayerDraft> drafts(Profile source) {
        return source.layers().stream().map(LayerDraft::of).toList();
    }

    private static Uni<Void> requireNew(String tenant, String name, String version) {
        return Profile.count("tenant = ?1 and name = ?2 and version = ?3", tenant, name, version)
                .map(count -> {
                    if (count > 0) {
                        throw ProblemException.conflict(
                                "version", "profile '" + name + "' already has version " + version);
                    }
                    return null;
                });
    }

    private static Profile newRow(
            String tenant,
            String name,
            String version,
            String description,
            Map<String, String> tags,
            ProfileDraft draft,
            List<ProfileLayer> layers) {
        Profile p = new Profile();
        p.id = UUID.randomUUID();
        p.tenant = tenant;
        p.name = name;
        p.version = version;
        p.description = description;
        p.tags = new TreeMap<>(tags == null ? Map.of() : tags);
        if (draft != null) {
            p.type = draft.type();
            p.environment = draft.environment();
            p.cloudType = draft.cloudType();
            p.rollout = draft.rollout() != null ? draft.rollout() : ProfileRollout.IMMEDIATE;
        }
        p.layers(layers.stream().map(Objects::requireNonNull).toList());
        p.createdAt = Instant.now();
        p.updatedAt = p.createdAt;
        return p;
    }

    /** The tenant's profile version, or 404 (also for another tenant's id). */
    private static Uni<Profile> find(String tenant, UUID id) {
        return Profile.<Profile>find("tenant = ?1 and id = ?2", tenant, id)
                .firstResult()
                .map(p -> {
                    if (p == null) {
                        throw ProblemException.notFound("profile", id.toString());
                    }
                    return p;
                });
    }
}
