package io.edgefleet.events.payload;

/** What a profile layer is made of: a pack from a pack registry, a Helm chart, or raw manifests only. */
public enum LayerSource {
    PACK,
    HELM,
    MANIFEST
}
