package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.Validator;

/** Body of {@code POST /v1/profiles/{id}/clone}: the copy's name, version (default 1.0.0) and description. */
public record CloneProfileRequest(String name, String version, String description) {

    String chosenVersion() {
        return version == null ? ProfileRequest.DEFAULT_VERSION : version;
    }

    void validate(Validator v) {
        v.text(name, "name", 1, 64, Inputs.NAME, Inputs.NAME_HINT);
        v.text(chosenVersion(), "version", 1, 20, Inputs.PROFILE_VERSION, Inputs.PROFILE_VERSION_HINT);
        Inputs.description(description, "description", v);
    }
}
