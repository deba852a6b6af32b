package io.edgefleet.profile.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a pack index, EdgeFleet's registry format (the built-in catalog uses it too):
 * <pre>
 * apiVersion: edgefleet.io/v1
 * kind: PackIndex
 * packs:
 *   - name: calico                # lowercase, 1-63 characters
 *     layer: NETWORK              # OS | KUBERNETES | NETWORK | STORAGE | ADDON
 *     addonType: monitoring       # ADDON packs only, optional
 *     displayName: Calico
 *     description: ...
 *     versions:
 *       - version: 3.27.3         # semantic version; pre-releases like 3.28.0-rc.1 allowed
 *         defaults: |             # YAML text: the pack's default values
 *           ...
 *         presets:
 *           - name: vxlan
 *             label: VXLAN encapsulation
 *             group: encapsulation # optional: presets of a group are alternatives
 *             values: |           # YAML text merged over the defaults
 *               ...
 * </pre>
 * The index is all or nothing: any malformed entry rejects it, with the path of every problem.
 */
public final class PackIndexParser {

    public static final String API_VERSION = "edgefleet.io/v1";
    public static final String KIND = "PackIndex";

    private PackIndexParser() {}

    public static Catalog parse(byte[] content) throws CatalogException {
        JsonNode root;
        try {
            root = Yaml.index(content);
        } catch (YamlException e) {
            throw new CatalogException("malformed pack index: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CatalogException("malformed pack index: expected a mapping with apiVersion " + API_VERSION
                    + ", kind " + KIND + " and packs");
        }
        Validator v = new Validator();
        v.require(API_VERSION.equals(root.path("apiVersion").asText()), "apiVersion", "must be " + API_VERSION);
        v.require(KIND.equals(root.path("kind").asText()), "kind", "must be " + KIND);
        JsonNode packs = root.path("packs");
        v.require(packs.isArray(), "packs", "must be a list of packs");
        List<CatalogPack> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; packs.isArray() && i < packs.size(); i++) {
            CatalogPack pack = pack(packs.get(i), "packs[" + i + "]", v);
            if (pack != null) {
                v.require(
                        names.add(pack.name()), "packs[" + i + "].name", "pack '" + pack.name() + "' is listed twice");
                result.add(pack);
            }
        }
        try {
            v.throwIfInvalid();
        } catch (ProblemException e) {
            String detail = e.getMessage();
            throw new CatalogException(
                    "malformed pack index: " + (detail.length() > 1500 ? detail.substring(0, 1500) + "..." : detail));
        }
        return new Catalog(result, List.of());
    }

    private static CatalogPack pack(JsonNode node, String at, Validator v) {
        if (!node.isObject()) {
            v.require(false, at, "must be a pack (a mapping)");
            return null;
        }
        String name = text(node, "name");
        boolean named = v.text(name, at + ".name", 1, 63, Names.PACK, Names.PACK_HINT);
        PackLayer layer = layer(text(node, "layer"), at + ".layer", v);
        String addonType = text(node, "addonType");
        if (addonType != null) {
            v.require(layer == PackLayer.ADDON, at + ".addonType", "only ADDON packs have an add-on type");
            v.require(Names.LABEL.matcher(addonType).matches(), at + ".addonType", Names.LABEL_HINT);
        }
        JsonNode versions = node.path("versions");
        v.require(versions.isArray() && !versions.isEmpty(), at + ".versions", "must list at least one version");
        List<CatalogRelease> releases = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int j = 0; versions.isArray() && j < versions.size(); j++) {
            String vat = at + ".versions[" + j + "]";
            JsonNode release = versions.get(j);
            if (!release.isObject()) {
                v.require(false, vat, "must be a version (a mapping)");
                continue;
            }
            String version = text(release, "version");
            List<Preset> presets = presets(release.path("presets"), vat + ".presets", v);
            String defaults = text(release, "defaults");
            v.require(
                    release.path("defaults").isMissingNode()
                            || release.path("defaults").isTextual(),
                    vat + ".defaults",
                    "must be YAML text (use a block scalar: 'defaults: |')");
            ReleaseRules.check(layer, version, defaults, presets, vat, v);
            v.require(
                    version == null || seen.add(version), vat + ".version", "version " + version + " is listed twice");
            releases.add(new CatalogRelease(
                    version, defaults == null ? "" : defaults, presets, null, null, List.of(), null));
        }
        return named
                ? new CatalogPack(
                        name, layer, addonType, text(node, "displayName"), text(node, "description"), releases)
                : null;
    }

    private static List<Preset> presets(JsonNode node, String at, Validator v) {
        List<Preset> presets = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return presets;
        }
        if (!node.isArray()) {
            v.require(false, at, "must be a list of presets");
            return presets;
        }
        for (JsonNode preset : node) {
            presets.add(
                    preset.isObject()
                            ? new Preset(
                                    text(preset, "name"),
                                    text(preset, "label"),
                                    text(preset, "group"),
                                    text(preset, "values"))
                            : null);
        }
        return presets;
    }

    static PackLayer layer(String value, String field, Validator v) {
        try {
            return PackLayer.valueOf(value == null ? "" : value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.require(false, field, "must be one of OS, KUBERNETES, NETWORK, STORAGE, ADDON");
            return null;
        }
    }

    /**
     * A text field of the index. YAML can write U+0000 ({@code "\0"}), which PostgreSQL cannot store: it is dropped (these
     * texts are informative; names, versions and values are checked by their own rules).
     */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode()
                ? null
                : value.asText().replace("\u0000", "");
    }
}
