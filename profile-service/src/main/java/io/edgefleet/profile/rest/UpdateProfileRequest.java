package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.ProfileRollout;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.service.LayerDraft;
import io.edgefleet.profile.service.StackRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /v1/profiles/{id}}: the new description, tags and layers of this profile version.
 * Name, version, type and environment do not change (create a new version or a clone for that). A missing
 * {@code rollout} keeps the profile's strategy (clients written before it never reset it).
 */
public record UpdateProfileRequest(
        @Schema(maxLength = RequestRules.MAX_DESCRIPTION) String description,
        Map<String, String> tags,

        @Schema(required = true, maxItems = StackRules.MAX_LAYERS, description = "bottom of the stack first")
        List<LayerRequest> layers,

        @Schema(description = "how running clusters take a re-link or change of this profile (default: unchanged)")
        RolloutRequest rollout) {

    /** The strategy to store, or null to keep the profile's. */
    ProfileRollout rolloutDraft(Validator v) {
        return rollout == null ? null : ProfileRequest.rollout(rollout, v);
    }

    List<LayerDraft> drafts(Validator v) {
        RequestRules.description(description, "description", v);
        TagRules.check(tags, "tags", v);
        return ProfileRequest.layers(layers, v);
    }
}
