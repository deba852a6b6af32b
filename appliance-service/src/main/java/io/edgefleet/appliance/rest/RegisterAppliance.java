package io.edgefleet.appliance.rest;

import io.edgefleet.appliance.service.TagRules;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Body of {@code POST /v1/appliances}.
 *
 * @param uid  the id its gateway reports (by default the machine's /etc/machine-id)
 * @param tags optional; the {@code name} tag is the display name
 */
public record RegisterAppliance(String uid, Map<String, String> tags) {

    /** Letters, digits, '.', '_', '-'; starts and ends with a letter or digit (fits labels, names and paths). */
    public static final Pattern UID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

    void validate() {
        Validator v = new Validator();
        validUid(uid, "uid", v);
        TagRules.check(tags, "tags", v);
        v.throwIfInvalid();
    }

    static boolean validUid(String uid, String field, Validator v) {
        return v.text(uid, field, 1, 64, UID,
                "may contain only letters, digits, '.', '_' and '-', and must start and end with a letter or digit");
    }

    static void requireBody(Object body) {
        if (body == null) {
            throw ProblemException.invalid("body", "a JSON body is required");
        }
    }
}
