package io.edgefleet.appliance.tokens;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A registration token as the API shows it: never its secret (that is shown once, by the create answer). */
public record RegistrationTokenView(
        UUID id,
        String description,
        String uid,
        Map<String, String> tags,
        int maxUses,
        int uses,
        RegistrationToken.Status status,
        Instant expiresAt,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        Instant revokedAt) {

    static RegistrationTokenView of(RegistrationToken t, Instant now) {
        return new RegistrationTokenView(t.id, t.description, t.uid, t.tags, t.maxUses, t.uses, t.status(now), t.expiresAt,
                t.createdAt, t.createdBy, t.lastUsedAt, t.revokedAt);
    }
}
