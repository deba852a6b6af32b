package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.service.LayerDraft;
import io.edgefleet.profile.service.StackRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /v1/profiles/{id}}: the new description, tags and layers of this profile version.
 * Name, version, type and environment do not change (create a new version or a clone for that).
 */
public record UpdateProfileRequest(
        @Schema(maxLength = RequestRules.MAX_DESCRIPTION) String description,
        Map<String, String> tags,

        @Schema(required = true, maxItems = StackRules.MAX_LAYERS, description = "bottom of the stack first")
        List<LayerRequest> layers) {

    List<LayerDraft> drafts(Validator v) {
        RequestRules.description(description, "description", v);
        TagRules.check(tags, "tags", v);
        return ProfileRequest.layers(layers, v);
    }
}
