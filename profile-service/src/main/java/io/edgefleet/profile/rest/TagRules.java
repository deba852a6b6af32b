package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.Validator;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a profile tag may look like: the same rules as appliance tags (profile tags are propagated to the
 * edge devices of clusters built from the profile). Services share no code, hence this copy.
 */
final class TagRules {

    static final int MAX_TAGS = 50;
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?");
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]*");

    private TagRules() {
    }

    static void check(Map<String, String> tags, String field, Validator v) {
        if (tags == null) {
            return;
        }
        v.require(tags.size() <= MAX_TAGS, field, "at most " + MAX_TAGS + " tags are allowed");
        tags.forEach((key, value) -> {
            if (v.text(key, field + "." + key, 1, 63, KEY,
                    "tag keys are letters, digits, '.', '_', '-', '/' and start and end with a letter or digit")) {
                v.require(value != null, field + "." + key, "tag value is required (use \"\" for none)");
                if (value != null) {
                    v.require(value.length() <= 255, field + "." + key, "tag values are at most 255 characters");
                    v.require(PRINTABLE.matcher(value).matches(), field + "." + key, "tag values must not contain control characters");
                }
            }
        });
    }
}
