package io.edgefleet.events.payload;

/** FULL: core layers and add-ons; INFRA: only the core layers; ADDON: only add-on layers. */
public enum ProfileType {
    FULL,
    INFRA,
    ADDON
}
