package io.edgefleet.events.payload;

import java.util.List;

/**
 * One layer of a cluster profile, bottom of the stack first.
 *
 * @param index           position in the stack, from 0
 * @param source          pack, Helm chart or manifests only
 * @param layer           OS, KUBERNETES, NETWORK, STORAGE or ADDON
 * @param registryId      the pack or chart registry ({@code builtin} for the built-in catalog); null for MANIFEST
 * @param name            pack or chart name; for MANIFEST layers the layer's own name
 * @param version         as chosen: pinned ({@code 1.1.1}) or a train ({@code 1.x}, {@code 1.1.x}); null for MANIFEST
 * @param resolvedVersion the concrete release the layer is linked to now; null for MANIFEST
 * @param presets         presets applied, in order, before {@code values}
 * @param values          the profile's YAML overrides, as written
 * @param mergedValues    pack defaults + presets + overrides, as YAML
 * @param manifests       attached manifests (the whole content of a MANIFEST layer)
 * @param note            why a newer release on the train is not linked (e.g. a preset it no longer has); else null
 */
public record ProfileLayer(
        int index,
        LayerSource source,
        PackLayer layer,
        String registryId,
        String name,
        String version,
        String resolvedVersion,
        List<String> presets,
        String values,
        String mergedValues,
        List<Manifest> manifests,
        String note) {

    public ProfileLayer withIndex(int newIndex) {
        return new ProfileLayer(
                newIndex,
                source,
                layer,
                registryId,
                name,
                version,
                resolvedVersion,
                presets,
                values,
                mergedValues,
                manifests,
                note);
    }

    public ProfileLayer relinked(String release, String merged) {
        return new ProfileLayer(
                index, source, layer, registryId, name, version, release, presets, values, merged, manifests, null);
    }

    public ProfileLayer withNote(String newNote) {
        return new ProfileLayer(
                index,
                source,
                layer,
                registryId,
                name,
                version,
                resolvedVersion,
                presets,
                values,
                mergedValues,
                manifests,
                newNote);
    }
}
