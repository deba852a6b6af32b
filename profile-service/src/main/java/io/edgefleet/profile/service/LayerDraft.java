package io.edgefleet.profile.service;

import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.Manifest;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;
import io.edgefleet.profile.version.VersionSpec;

import java.util.List;
import java.util.Map;

/**
 * A profile layer as asked for, syntactically valid but not yet checked against the catalog.
 *
 * @param overrides {@code values} parsed
 */
public record LayerDraft(
        int index,
        LayerSource source,
        String registryId,
        String name,
        VersionSpec version,
        List<String> presets,
        String values,
        Map<String, Object> overrides,
        List<Manifest> manifests) {

    public String field() {
        return "layers[" + index + "]";
    }

    /** The request that produced a stored layer: new versions and clones resolve it again. */
    public static LayerDraft of(ProfileLayer layer) {
        try {
            return new LayerDraft(
                    layer.index(),
                    layer.source(),
                    layer.registryId(),
                    layer.name(),
                    layer.version() == null ? null : VersionSpec.parse(layer.version()),
                    layer.presets(),
                    layer.values(),
                    Yaml.mapping(layer.values()),
                    layer.manifests());
        } catch (YamlException e) {
            throw new IllegalStateException(
                    "stored values of layer " + layer.index() + " are not YAML", e); // validated on write
        }
    }
}
