package io.edgefleet.appliance.tokens;

import io.edgefleet.events.EdgeTopics;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Registration tokens of a tenant: made by its admins, used up by enrolments. Secrets are never logged. */
@ApplicationScoped
public class RegistrationTokenService {

    private static final Logger LOG = Logger.getLogger(RegistrationTokenService.class);

    /** A token just made, with its secret (only here, only once). */
    public record Created(RegistrationToken token, String secret) {}

    @WithTransaction
    public Uni<Created> create(String tenant, String createdBy, CreateRegistrationToken body, Instant now) {
        requireEdgeTenant(tenant);
        String secret = TokenSecrets.newSecret();
        RegistrationToken token = new RegistrationToken();
        token.id = UUID.randomUUID();
        token.tenant = tenant;
        token.tokenHash = TokenSecrets.hash(secret);
        token.description = body.description();
        token.uid = body.uid();
        token.tags = new TreeMap<>(body.tags() == null ? Map.of() : body.tags());
        token.maxUses = body.uses();
        token.expiresAt = body.expiry(now);
        token.createdAt = now;
        token.createdBy = createdBy;
        return token.persist().map(t -> {
            LOG.infof(
                    "registration token %s of tenant %s made by %s (uid %s, %d use(s), until %s)",
                    token.id,
                    tenant,
                    createdBy,
                    token.uid == null ? "any" : "'" + token.uid + "'",
                    token.maxUses,
                    token.expiresAt);
            return new Created(token, secret);
        });
    }

    /**
     * A tenant id becomes a topic level and half of every certificate CN of its appliances; one that cannot be an
     * edge identity can never enrol anything, so it gets no tokens.
     */
    static void requireEdgeTenant(String tenant) {
        if (!EdgeTopics.validName(tenant)) {
            throw new ProblemException(
                    403,
                    "urn:edgefleet:problem:tenant-not-edge-name",
                    "Forbidden",
                    "tenant id '" + tenant
                            + "' cannot be an edge identity (letters, digits, '.', '_', '-', at most 64 characters): "
                            + "its appliances cannot enrol",
                    List.of(new Problem.FieldError("tenant", "is not a valid edge name")));
        }
    }

    @WithSession
    public Uni<Page<RegistrationToken>> list(
            String tenant, RegistrationToken.Status status, int page, int size, Instant now) {
        String query = "from RegistrationToken t where t.tenant = :tenant";
        Parameters parameters = Parameters.with("tenant", tenant);
        if (status != null) {
            query += " and " + RegistrationToken.condition(status);
            if (status == RegistrationToken.Status.ACTIVE || status == RegistrationToken.Status.EXPIRED) {
                parameters.and("now", now);
            }
        }
        var found = RegistrationToken.<RegistrationToken>find(query + " order by t.createdAt desc, t.id", parameters);
        return found.page(page, size)
                .list()
                .chain(items -> found.count().map(total -> new Page<>(items, page, size, total)));
    }

    /** The tenant's token, or 404 (also for another tenant's). */
    @WithSession
    public Uni<RegistrationToken> get(String tenant, UUID id) {
        return RegistrationToken.<RegistrationToken>find("id = ?1 and tenant = ?2", id, tenant)
                .firstResult()
                .map(t -> {
                    if (t == null) {
                        throw ProblemException.notFound("registration token", id.toString());
                    }
                    return t;
                });
    }

    /** Revokes the token: later enrolments with it fail. Revoking a revoked token changes nothing. */
    @WithTransaction
    public Uni<Void> revoke(String tenant, UUID id, String by, Instant now) {
        return RegistrationToken.<RegistrationToken>find("id = ?1 and tenant = ?2", id, tenant)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult()
                .chain(t -> {
                    if (t == null) {
                        throw ProblemException.notFound("registration token", id.toString());
                    }
                    if (t.revokedAt != null) {
                        return Uni.createFrom().voidItem();
                    }
                    t.revokedAt = now;
                    LOG.infof("registration token %s of tenant %s revoked by %s", id, tenant, by);
                    return t.persist().replaceWithVoid();
                });
    }

    /**
     * The token whose secret this is, or null, locked until the caller's transaction ends: two enrolments with one
     * token run one after the other, so the second sees the first one's use (race-free counting).
     */
    public Uni<RegistrationToken> lockBySecret(String secret) {
        if (!TokenSecrets.wellFormed(secret)) {
            return Uni.createFrom().nullItem();
        }
        return RegistrationToken.<RegistrationToken>find("tokenHash", TokenSecrets.hash(secret))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
