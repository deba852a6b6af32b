package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.service.LayerDraft;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/profiles/{id}/versions}: a new version of the profile as a new row. Fields
 * left out are copied from the version {@code id}; the earlier version stays as it is.
 */
public record NewVersionRequest(String version, String description, Map<String, String> tags, List<LayerRequest> layers) {

    /** @return drafts of the new layers, or null to copy the source's layers */
    List<LayerDraft> drafts(Validator v) {
        v.text(version, "version", 1, 20, Inputs.PROFILE_VERSION, Inputs.PROFILE_VERSION_HINT);
        Inputs.description(description, "description", v);
        TagRules.check(tags, "tags", v);
        return layers == null ? null : ProfileRequest.layers(layers, v);
    }
}
