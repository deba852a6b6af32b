package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.catalog.CatalogPack;
import io.edgefleet.profile.catalog.CatalogRelease;
import io.edgefleet.profile.catalog.Names;
import io.edgefleet.profile.catalog.Preset;
import io.edgefleet.profile.catalog.ReleaseRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Body of {@code POST /v1/registries/{id}/packs}: one new version of a pack in a LOCAL registry, in the
 * shape of a pack index entry.
 *
 * @param defaults the default values (YAML)
 * @param presets  named groups of value changes
 */
public record PublishPackRequest(
        @Schema(required = true, maxLength = 63, pattern = "^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")
        String name,

        @Schema(required = true, ref = "PackLayer") String layer,

        @Schema(description = "ADDON packs only: monitoring, security, load-balancer, ...")
        String addonType,

        @Schema(maxLength = 100, description = "default: the name")
        String displayName,

        @Schema(maxLength = RequestRules.MAX_DESCRIPTION) String description,

        @Schema(
                required = true,
                maxLength = PublishPackRequest.MAX_VERSION,
                description = "a semantic version like 1.2.3 or 1.3.0-rc.1")
        String version,

        @Schema(maxLength = ReleaseRules.MAX_VALUES_CHARS, description = "the default values (YAML)")
        String defaults,

        @Schema(maxItems = ReleaseRules.MAX_PRESETS, description = "named groups of value changes")
        List<Preset> presets) {

    static final int MAX_VERSION = 64;

    CatalogPack validate(Validator v) {
        v.text(name, "name", 1, 63, Names.PACK, Names.PACK_HINT);
        PackLayer packLayer = RequestRules.enumValue(layer, PackLayer.class, "layer", v);
        if (addonType != null) {
            v.require(packLayer == PackLayer.ADDON, "addonType", "only ADDON packs have an add-on type");
            v.require(Names.LABEL.matcher(addonType).matches(), "addonType", Names.LABEL_HINT);
        }
        v.require(displayName == null || displayName.length() <= 100, "displayName", "must be at most 100 characters");
        v.require(
                displayName == null
                        || !ReleaseRules.CONTROL.matcher(displayName).find(),
                "displayName",
                "must not contain control characters");
        RequestRules.description(description, "description", v);
        v.require(version != null, "version", "is required: a semantic version like 1.2.3");
        v.require(
                version == null || version.length() <= MAX_VERSION,
                "version",
                "must be at most " + MAX_VERSION + " characters");
        ReleaseRules.check(packLayer, version, defaults, presets, "", v);
        return new CatalogPack(
                name,
                packLayer,
                addonType,
                displayName != null ? displayName : name,
                description,
                List.of(new CatalogRelease(
                        version,
                        defaults == null ? "" : defaults,
                        presets == null ? List.of() : presets,
                        null,
                        null,
                        List.of(),
                        null)));
    }
}
