package io.edgefleet.appliance.tokens;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The answer to creating a registration token: its view and, this one time, the secret {@code token}
 * ({@code eft_...}). Only its SHA-256 is kept, so it cannot be shown again. (The view's fields are spelled out, not
 * unwrapped, so the OpenAPI schema lists them in this order.)
 */
public record CreatedRegistrationToken(
        @Schema(required = true, description = "the secret (`eft_` and 43 characters): shown this one time")
        String token,

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

    static CreatedRegistrationToken of(String secret, RegistrationTokenView v) {
        return new CreatedRegistrationToken(
                secret,
                v.id(),
                v.description(),
                v.uid(),
                v.tags(),
                v.maxUses(),
                v.uses(),
                v.status(),
                v.expiresAt(),
                v.createdAt(),
                v.createdBy(),
                v.lastUsedAt(),
                v.revokedAt());
    }
}
