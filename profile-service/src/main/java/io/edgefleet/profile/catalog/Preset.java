package io.edgefleet.profile.catalog;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A named group of value changes offered by a pack version, e.g. "enable Hubble" for cilium.
 *
 * @param values YAML merged over the pack defaults (before the profile's own overrides)
 * @param group  presets of one group are alternatives: a layer picks at most one of them
 */
public record Preset(
        @Schema(required = true, maxLength = 63) String name,
        @Schema(nullable = true, maxLength = 200) String label,
        @Schema(nullable = true, maxLength = 63) String group,

        @Schema(nullable = true, description = "YAML merged over the defaults")
        String values) {}
