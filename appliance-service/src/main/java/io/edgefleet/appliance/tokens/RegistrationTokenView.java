package io.edgefleet.appliance.tokens;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A registration token as the API shows it: never its secret (that is shown once, by the create answer). */
public record RegistrationTokenView(
        @Schema(required = true) UUID id,
        @Schema(nullable = true) String description,

        @Schema(nullable = true, description = "the only uid it enrols; null: any")
        String uid,

        @Schema(required = true) Map<String, String> tags,
        @Schema(required = true) int maxUses,
        @Schema(required = true) int uses,
        @Schema(required = true) RegistrationToken.Status status,
        @Schema(required = true) Instant expiresAt,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) String createdBy,
        @Schema(nullable = true) Instant lastUsedAt,
        @Schema(nullable = true) Instant revokedAt) {

    static RegistrationTokenView of(RegistrationToken t, Instant now) {
        return new RegistrationTokenView(
                t.id,
                t.description,
                t.uid,
                t.tags,
                t.maxUses,
                t.uses,
                t.status(now),
                t.expiresAt,
                t.createdAt,
                t.createdBy,
                t.lastUsedAt,
                t.revokedAt);
    }
}
