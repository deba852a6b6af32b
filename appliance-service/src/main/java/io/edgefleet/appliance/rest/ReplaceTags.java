package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.service.TagRules;
import io.edgefleet.kit.rest.Validator;

import java.util.Map;

/** Body of {@code PUT /v1/appliances/{uid}/tags}: the complete new set of tags. */
public record ReplaceTags(Map<String, String> tags) {

    void validate() {
        Validator v = new Validator();
        v.require(tags != null, "tags", "is required (use {} to remove every tag)");
        TagRules.check(tags, "tags", v);
        v.throwIfInvalid();
    }
}
