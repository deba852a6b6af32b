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
 * Body of {@code POST /v1/profiles/{id}/versions}: a new version of the profile as a new row. Fields
 * left out are copied from the version {@code id}; the earlier version stays as it is.
 */
public record NewVersionRequest(
        @Schema(required = true, description = "MAJOR.MINOR.PATCH", pattern = "^\\d+\\.\\d+\\.\\d+$")
        String version,

        @Schema(maxLength = RequestRules.MAX_DESCRIPTION, description = "default: the source version's")
        String description,

        @Schema(description = "default: the source version's")
        Map<String, String> tags,

        @Schema(
                maxItems = StackRules.MAX_LAYERS,
                description = "default: the source version's layers (trains move to their newest release)")
        List<LayerRequest> layers,

        @Schema(description = "default: the source version's rollout strategy")
        RolloutRequest rollout) {

    /** The strategy of the new version, or null to copy the source's. */
    ProfileRollout rolloutDraft(Validator v) {
        return rollout == null ? null : ProfileRequest.rollout(rollout, v);
    }

    /** @return drafts of the new layers, or null to copy the source's layers */
    List<LayerDraft> drafts(Validator v) {
        v.text(version, "version", 1, 20, RequestRules.PROFILE_VERSION, RequestRules.PROFILE_VERSION_HINT);
        RequestRules.description(description, "description", v);
        TagRules.check(tags, "tags", v);
        return layers == null ? null : ProfileRequest.layers(layers, v);
    }
}
