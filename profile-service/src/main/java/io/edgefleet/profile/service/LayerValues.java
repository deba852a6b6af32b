package io.edgefleet.profile.service;

import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.catalog.Preset;
import io.edgefleet.profile.repository.PackVersion;
import io.edgefleet.profile.values.PackValueRules;
import io.edgefleet.profile.values.Values;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The values a layer deploys: the release's defaults, then its presets in the order chosen, then the
 * profile's overrides (each merged with {@link Values#merge}); then the core-layer checks on the result.
 */
final class LayerValues {

    private LayerValues() {}

    /** @return the merged values, or null when errors were added to {@code v} */
    static Map<String, Object> merge(
            PackVersion release, List<String> presets, Map<String, Object> overrides, String field, Validator v) {
        Map<String, Object> merged;
        try {
            merged = Yaml.mapping(release.defaults);
        } catch (YamlException e) { // releases are validated when stored; this is a broken row
            throw new IllegalStateException(
                    "defaults of " + release.name + " " + release.version + " " + e.getMessage());
        }
        boolean ok = true;
        Map<String, String> groups = new HashMap<>();
        for (int i = 0; i < presets.size(); i++) {
            Preset preset = release.preset(presets.get(i));
            if (preset == null) {
                v.require(
                        false,
                        field + ".presets[" + i + "]",
                        "'" + presets.get(i) + "' is not a preset of " + release.name + " "
                                + release.version
                                + (release.presets().isEmpty()
                                        ? " (it has none)"
                                        : "; it has: "
                                                + release.presets().stream()
                                                        .map(Preset::name)
                                                        .collect(Collectors.joining(", "))));
                ok = false;
                continue;
            }
            if (preset.group() != null && groups.containsKey(preset.group())) {
                v.require(
                        false,
                        field + ".presets[" + i + "]",
                        "'" + preset.name() + "' and '" + groups.get(preset.group()) + "' are alternatives (group "
                                + preset.group() + "); choose one");
                ok = false;
                continue;
            }
            if (preset.group() != null) {
                groups.put(preset.group(), preset.name());
            }
            try {
                merged = Values.merge(merged, Yaml.mapping(preset.values()));
            } catch (YamlException e) {
                throw new IllegalStateException(
                        "preset " + preset.name() + " of " + release.name + " " + e.getMessage());
            }
        }
        merged = Values.merge(merged, overrides);
        Validator rules = new Validator();
        PackValueRules.check(release.layer, merged, field + ".values", rules);
        return Validation.merge(rules, v) && ok ? merged : null;
    }
}
