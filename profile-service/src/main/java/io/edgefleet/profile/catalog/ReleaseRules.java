package io.edgefleet.profile.catalog;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.values.PackValueRules;
import io.edgefleet.profile.values.Values;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;
import io.edgefleet.profile.version.SemVer;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a pack version must satisfy to be offered: a strict semantic version, defaults that are a YAML
 * mapping (and pass the core-layer checks), uniquely named presets whose values are YAML mappings and
 * leave the defaults valid. Used for the built-in catalog, pack indexes and API publishes alike.
 */
public final class ReleaseRules {

    public static final int MAX_VALUES_CHARS = 64 * 1024;
    public static final int MAX_PRESETS = 32;
    /** One-line texts (labels, display names) have none; PostgreSQL cannot even store U+0000. */
    public static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private ReleaseRules() {}

    /** @param field prefix of error fields, e.g. {@code packs[2].versions[0]} ({@code ""} for a request body) */
    public static void check(
            PackLayer layer, String version, String defaults, List<Preset> presets, String field, Validator v) {
        String at = field.isEmpty() ? "" : field + ".";
        v.require(
                SemVer.parseStrict(version) != null,
                at + "version",
                "must be a semantic version like 1.2.3 or 1.3.0-rc.1");
        v.require(
                defaults == null || defaults.length() <= MAX_VALUES_CHARS,
                at + "defaults",
                "is longer than " + MAX_VALUES_CHARS + " characters");
        Map<String, Object> base = mapping(defaults, at + "defaults", v);
        if (base != null && layer != null) {
            PackValueRules.check(layer, base, at + "defaults", v);
        }
        List<Preset> all = presets == null ? List.of() : presets;
        v.require(all.size() <= MAX_PRESETS, at + "presets", "at most " + MAX_PRESETS + " presets");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Preset preset = all.get(i);
            String p = at + "presets[" + i + "]";
            if (preset == null) {
                v.require(false, p, "must be a preset with name, label and values");
                continue;
            }
            if (v.text(preset.name(), p + ".name", 1, 63, Names.LABEL, Names.LABEL_HINT)) {
                v.require(names.add(preset.name()), p + ".name", "preset '" + preset.name() + "' is defined twice");
            }
            v.require(
                    preset.label() == null || preset.label().length() <= 200,
                    p + ".label",
                    "is longer than 200 characters");
            v.require(
                    preset.label() == null || !CONTROL.matcher(preset.label()).find(),
                    p + ".label",
                    "must not contain control characters");
            v.require(
                    preset.group() == null
                            || Names.LABEL.matcher(preset.group()).matches(),
                    p + ".group",
                    Names.LABEL_HINT);
            v.require(
                    preset.values() == null || preset.values().length() <= MAX_VALUES_CHARS,
                    p + ".values",
                    "is too long");
            Map<String, Object> change = mapping(preset.values(), p + ".values", v);
            if (base != null && change != null && layer != null) {
                PackValueRules.check(layer, Values.merge(base, change), p + ".values", v);
            }
        }
    }

    private static Map<String, Object> mapping(String yaml, String field, Validator v) {
        try {
            return Yaml.mapping(yaml);
        } catch (YamlException e) {
            v.require(false, field, e.getMessage());
            return null;
        }
    }
}
