package io.edgefleet.kit.rest;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a tag may look like: label-like keys, short printable values. One rule for appliance, profile and cluster
 * tags, because profile and cluster tags end up on the appliances' edge devices.
 */
public final class TagRules {

    public static final int MAX_TAGS = 50;
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?");
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]*");

    private TagRules() {}

    /**
     * Printable Unicode text: no control characters (PostgreSQL cannot even store NUL) and no unpaired UTF-16
     * surrogate, which JSON allows to escape but which is no character (it would be stored as '?' or not at all).
     */
    public static boolean isText(String value) {
        if (!PRINTABLE.matcher(value).matches()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public static void check(Map<String, String> tags, String field, Validator v) {
        if (tags == null) {
            return;
        }
        v.require(tags.size() <= MAX_TAGS, field, "at most " + MAX_TAGS + " tags are allowed");
        tags.forEach((key, value) -> {
            if (v.text(
                    key,
                    field + "." + key,
                    1,
                    63,
                    KEY,
                    "tag keys are letters, digits, '.', '_', '-', '/' and start and end with a letter or digit")) {
                v.require(value != null, field + "." + key, "tag value is required (use \"\" for none)");
                if (value != null) {
                    v.require(value.length() <= 255, field + "." + key, "tag values are at most 255 characters");
                    v.require(
                            isText(value),
                            field + "." + key,
                            "tag values must not contain control characters or unpaired surrogates (\\ud800-\\udfff)");
                }
            }
        });
    }
}
