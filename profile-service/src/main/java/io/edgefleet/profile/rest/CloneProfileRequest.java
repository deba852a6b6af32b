package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/profiles/{id}/clone}: the copy's name, version (default 1.0.0) and description. */
public record CloneProfileRequest(
        @Schema(required = true, maxLength = 64, pattern = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
        String name,

        @Schema(
                description = "MAJOR.MINOR.PATCH",
                defaultValue = ProfileRequest.DEFAULT_VERSION,
                pattern = "^\\d+\\.\\d+\\.\\d+$")
        String version,

        @Schema(maxLength = RequestRules.MAX_DESCRIPTION, description = "default: the source version's")
        String description) {

    String chosenVersion() {
        return version == null ? ProfileRequest.DEFAULT_VERSION : version;
    }

    void validate(Validator v) {
        v.text(name, "name", 1, 64, RequestRules.NAME, RequestRules.NAME_HINT);
        v.text(chosenVersion(), "version", 1, 20, RequestRules.PROFILE_VERSION, RequestRules.PROFILE_VERSION_HINT);
        RequestRules.description(description, "description", v);
    }
}
