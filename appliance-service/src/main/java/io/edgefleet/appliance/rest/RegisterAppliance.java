package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * Body of {@code POST /v1/appliances}.
 *
 * @param uid  the id its gateway reports (by default the machine's /etc/machine-id)
 * @param tags optional; the {@code name} tag is the display name
 */
public record RegisterAppliance(
        @Schema(
                required = true,
                minLength = 1,
                maxLength = 64,
                pattern = UID_PATTERN,
                description = "the id its gateway reports (by default the machine's /etc/machine-id)")
        String uid,

        @Schema(description = "at most 50; the `name` tag is the display name")
        Map<String, String> tags) {

    static final String UID_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$";

    /** Adds every problem of {@code body} (or its absence) to {@code v}. */
    static void check(RegisterAppliance body, Validator v) {
        if (!v.requireBody(body)) {
            return;
        }
        Appliance.checkUid(body.uid, "uid", v);
        TagRules.check(body.tags, "tags", v);
    }
}
