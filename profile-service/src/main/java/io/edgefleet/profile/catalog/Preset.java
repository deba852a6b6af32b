package io.edgefleet.profile.catalog;

/**
 * A named group of value changes offered by a pack version, e.g. "enable Hubble" for cilium.
 *
 * @param values YAML merged over the pack defaults (before the profile's own overrides)
 * @param group  presets of one group are alternatives: a layer picks at most one of them
 */
public record Preset(String name, String label, String group, String values) {
}
