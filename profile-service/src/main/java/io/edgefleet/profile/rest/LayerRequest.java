package io.edgefleet.profile.rest;

import io.edgefleet.events.payload.LayerSource;
import io.edgefleet.events.payload.Manifest;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.catalog.Names;
import io.edgefleet.profile.catalog.ReleaseRules;
import io.edgefleet.profile.service.LayerDraft;
import io.edgefleet.profile.service.Validation;
import io.edgefleet.profile.values.Manifests;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;
import io.edgefleet.profile.version.VersionSpec;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One layer of a profile in a request.
 *
 * @param source    PACK (default), HELM or MANIFEST
 * @param registry  PACK: {@code builtin} (default) or a registry id; HELM: a Helm registry id; MANIFEST: none
 * @param name      the pack or chart; for MANIFEST the layer's name
 * @param version   PACK and HELM: pinned ({@code 1.1.1}) or a train ({@code 1.x}, {@code 1.1.x})
 * @param presets   PACK only: presets of the pack version, applied in this order before {@code values}
 * @param values    PACK and HELM: YAML overrides merged over the defaults
 * @param manifests any layer: attached manifests; a MANIFEST layer needs at least one
 */
public record LayerRequest(
        @Schema(ref = "LayerSource", defaultValue = "PACK") String source,

        @Schema(
                description =
                        "PACK: `builtin` (the default) or a registry id; HELM: the Helm registry's id; MANIFEST: none")
        String registry,

        @Schema(required = true, maxLength = 63, description = "the pack or chart; for MANIFEST the layer's name")
        String name,

        @Schema(description = "PACK and HELM (required): pinned (`1.1.1`) or a train (`1.x`, `1.1.x`); MANIFEST: none")
        String version,

        @Schema(description = "PACK only: presets of the pack version, applied in this order before `values`")
        List<String> presets,

        @Schema(
                maxLength = ReleaseRules.MAX_VALUES_CHARS,
                description = "PACK and HELM: YAML overrides merged over the defaults")
        String values,

        @Schema(maxItems = MAX_MANIFESTS, description = "attached manifests; a MANIFEST layer needs at least one")
        List<ManifestRequest> manifests) {

    static final int MAX_MANIFESTS = 16;
    static final int MAX_MANIFEST_CHARS = 32 * 1024;
    private static final Pattern REGISTRY =
            Pattern.compile("builtin|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The layer's draft, or null when it has errors (added to {@code into}). */
    LayerDraft draft(int index, Validator into) {
        String at = "layers[" + index + "]";
        Validator v = new Validator();
        LayerSource kind = source == null
                ? LayerSource.PACK
                : RequestRules.enumValue(source, LayerSource.class, at + ".source", v);
        boolean manifestOnly = kind == LayerSource.MANIFEST;
        if (manifestOnly) {
            v.text(name, at + ".name", 1, 63, Names.LABEL, Names.LABEL_HINT);
            v.require(registry == null, at + ".registry", "MANIFEST layers come from no registry; leave it out");
            v.require(version == null, at + ".version", "MANIFEST layers have no version; leave it out");
            v.require(presets == null || presets.isEmpty(), at + ".presets", "MANIFEST layers have no presets");
            v.require(values == null, at + ".values", "MANIFEST layers have no values; put everything in manifests");
            v.require(
                    manifests != null && !manifests.isEmpty(),
                    at + ".manifests",
                    "a MANIFEST layer needs at least one manifest");
        } else {
            v.text(name, at + ".name", 1, 63, Names.PACK, Names.PACK_HINT);
            v.require(
                    kind != LayerSource.HELM || registry != null,
                    at + ".registry",
                    "is required for HELM layers: the Helm registry's id");
            v.require(
                    registry == null || REGISTRY.matcher(registry).matches(),
                    at + ".registry",
                    "must be 'builtin' or a registry id");
            v.require(version != null, at + ".version", "is required: " + VersionSpec.HINT);
            v.require(
                    kind != LayerSource.HELM || presets == null || presets.isEmpty(),
                    at + ".presets",
                    "Helm charts have no presets; set values instead");
        }
        VersionSpec spec = null;
        if (version != null && !manifestOnly) {
            try {
                spec = VersionSpec.parse(version);
            } catch (IllegalArgumentException e) {
                v.require(false, at + ".version", e.getMessage());
            }
        }
        List<String> chosen = presets == null ? List.of() : presets;
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (v.text(chosen.get(i), at + ".presets[" + i + "]", 1, 63, Names.LABEL, Names.LABEL_HINT)) {
                v.require(
                        distinct.add(chosen.get(i)),
                        at + ".presets[" + i + "]",
                        "'" + chosen.get(i) + "' is listed twice");
            }
        }
        Map<String, Object> overrides = Map.of();
        if (values != null && !manifestOnly) {
            v.require(
                    values.length() <= ReleaseRules.MAX_VALUES_CHARS,
                    at + ".values",
                    "is longer than " + ReleaseRules.MAX_VALUES_CHARS + " characters");
            try {
                overrides = Yaml.mapping(values);
            } catch (YamlException e) {
                v.require(false, at + ".values", e.getMessage());
            }
        }
        List<Manifest> attached = manifests(at, v);
        if (!Validation.merge(v, into)) {
            return null;
        }
        String registryId = manifestOnly ? null : registry == null ? "builtin" : registry;
        return new LayerDraft(
                index,
                kind,
                registryId,
                name,
                spec,
                List.copyOf(chosen),
                manifestOnly ? null : values,
                overrides,
                attached);
    }

    private List<Manifest> manifests(String at, Validator v) {
        List<Manifest> attached = new ArrayList<>();
        if (manifests == null) {
            return attached;
        }
        v.require(
                manifests.size() <= MAX_MANIFESTS,
                at + ".manifests",
                "at most " + MAX_MANIFESTS + " manifests per layer");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < manifests.size(); i++) {
            String m = at + ".manifests[" + i + "]";
            ManifestRequest manifest = manifests.get(i);
            if (manifest == null) {
                v.require(false, m, "must be a manifest with name and content");
                continue;
            }
            if (v.text(manifest.name(), m + ".name", 1, 63, Names.LABEL, Names.LABEL_HINT)) {
                v.require(
                        names.add(manifest.name()),
                        m + ".name",
                        "manifest '" + manifest.name() + "' is listed twice in this layer");
            }
            if (manifest.content() == null || manifest.content().isBlank()) {
                v.require(false, m + ".content", "is required: Kubernetes objects as YAML");
            } else if (manifest.content().length() > MAX_MANIFEST_CHARS) {
                v.require(false, m + ".content", "is longer than " + MAX_MANIFEST_CHARS + " characters");
            } else {
                Manifests.check(manifest.content(), m + ".content", v);
            }
            attached.add(new Manifest(manifest.name(), manifest.content()));
        }
        return attached;
    }
}
