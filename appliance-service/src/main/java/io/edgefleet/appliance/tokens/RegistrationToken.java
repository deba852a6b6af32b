package io.edgefleet.appliance.tokens;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A registration token of one tenant. The secret itself is never stored, only its SHA-256. */
@Entity
@Table(name = "registration_token")
public class RegistrationToken extends PanacheEntityBase {

    /** A token's state; the first that applies wins (a revoked token that also expired is REVOKED). */
    @Schema(name = "RegistrationTokenStatus")
    public enum Status {
        ACTIVE,
        EXPIRED,
        USED_UP,
        REVOKED
    }

    @Id
    public UUID id;

    public String tenant;

    @Column(name = "token_hash")
    public String tokenHash;

    public String description;
    /** The only uid it enrols (and may re-enrol), or null for any new uid. */
    public String uid;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new TreeMap<>();

    @Column(name = "max_uses")
    public int maxUses;

    public int uses;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (uses >= maxUses) {
            return Status.USED_UP;
        }
        return expiresAt.isAfter(now) ? Status.ACTIVE : Status.EXPIRED;
    }

    /** The same rule as {@link #status} as a JPQL condition on alias {@code t} with parameter {@code :now}. */
    static String condition(Status status) {
        return switch (status) {
            case REVOKED -> "t.revokedAt is not null";
            case USED_UP -> "t.revokedAt is null and t.uses >= t.maxUses";
            case EXPIRED -> "t.revokedAt is null and t.uses < t.maxUses and t.expiresAt <= :now";
            case ACTIVE -> "t.revokedAt is null and t.uses < t.maxUses and t.expiresAt > :now";
        };
    }
}
