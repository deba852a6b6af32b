package io.edgefleet.appliance.tokens;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Body of {@code POST /v1/registration-tokens}; every field is optional.
 *
 * @param description what the token is for (at most 255 characters)
 * @param expiresAt   RFC 3339, in the future, at most 365 days ahead; default now + 24 h
 * @param maxUses     how many enrolments it allows, 1 to 100000; default 1
 * @param uid         the only uid it enrols; only such a token can re-enrol an appliance that had a certificate
 * @param tags        the tags of appliances it registers
 */
public record CreateRegistrationToken(
        @Schema(maxLength = 255, description = "what the token is for")
        String description,

        @Schema(description = "RFC 3339, in the future, at most 365 days ahead; default: 24 hours from now")
        @JsonDeserialize(using = Rfc3339.class)
        OffsetDateTime expiresAt,

        @Schema(minimum = "1", maximum = "100000", defaultValue = "1", description = "how many enrolments it allows")
        Long maxUses,

        @Schema(
                minLength = 1,
                maxLength = 64,
                pattern = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$",
                description =
                        "the only uid it enrols; only such a token can re-enrol an appliance that had a certificate")
        String uid,

        @Schema(description = "the tags of appliances it registers (at most 50)")
        Map<String, String> tags) {

    static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final int MAX_USES = 100_000;

    void validate(Instant now) {
        Validator v = new Validator();
        if (description != null) {
            v.require(description.length() <= 255, "description", "must be at most 255 characters long");
            v.require(
                    TagRules.isText(description),
                    "description",
                    "must not contain control characters or unpaired surrogates (\\ud800-\\udfff)");
        }
        if (expiresAt != null) {
            Instant at = expiresAt.toInstant();
            v.require(at.isAfter(now), "expiresAt", "must be in the future");
            v.require(!at.isAfter(now.plus(MAX_LIFETIME)), "expiresAt", "must be at most 365 days ahead");
        }
        if (maxUses != null) {
            v.require(maxUses >= 1 && maxUses <= MAX_USES, "maxUses", "must be from 1 to " + MAX_USES);
        }
        if (uid != null) {
            Appliance.checkUid(uid, "uid", v);
        }
        TagRules.check(tags, "tags", v);
        v.throwIfInvalid();
    }

    Instant expiry(Instant now) {
        return expiresAt == null ? now.plus(DEFAULT_LIFETIME) : expiresAt.toInstant();
    }

    int uses() {
        return maxUses == null ? 1 : maxUses.intValue();
    }
}
