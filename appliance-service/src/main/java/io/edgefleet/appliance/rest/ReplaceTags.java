package io.edgefleet.appliance.rest;

import io.edgefleet.kit.rest.TagRules;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** Body of {@code PUT /v1/appliances/{uid}/tags}: the complete new set of tags. */
public record ReplaceTags(
        @Schema(required = true, description = "at most 50; `{}` removes every tag")
        Map<String, String> tags) {

    /** Adds every problem of {@code body} (or its absence) to {@code v}. */
    static void check(ReplaceTags body, Validator v) {
        if (!v.requireBody(body)) {
            return;
        }
        v.require(body.tags != null, "tags", "is required (use {} to remove every tag)");
        TagRules.check(body.tags, "tags", v);
    }
}
