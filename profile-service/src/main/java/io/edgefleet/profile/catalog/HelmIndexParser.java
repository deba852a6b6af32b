package io.edgefleet.profile.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;
import io.edgefleet.profile.version.SemVer;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Helm chart repository's {@code index.yaml} ({@code apiVersion: v1}, {@code entries}: chart
 * name to its versions, each with version, appVersion, created, digest, urls). Charts are add-ons.
 * <p>
 * The structure must be right or the index is rejected (and the registry keeps its last good
 * catalog). Single entries that cannot be used are skipped with a reason, as Helm itself does:
 * library charts (not installable), versions that are not semantic versions, bad chart names.
 */
public final class HelmIndexParser {

    private HelmIndexParser() {}

    public static Catalog parse(byte[] content) throws CatalogException {
        JsonNode root;
        try {
            root = Yaml.index(content);
        } catch (YamlException e) {
            throw new CatalogException("malformed Helm index: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CatalogException("malformed Helm index: expected a mapping with apiVersion v1 and entries");
        }
        if (!"v1".equals(root.path("apiVersion").asText())) {
            throw new CatalogException("malformed Helm index: apiVersion must be v1, found '"
                    + root.path("apiVersion").asText() + "'");
        }
        JsonNode entries = root.path("entries");
        if (!entries.isObject() && !entries.isNull() && !entries.isMissingNode()) {
            throw new CatalogException("malformed Helm index: entries must map chart names to their versions");
        }
        List<CatalogPack> packs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String chart = entry.getKey();
            if (!entry.getValue().isArray()) {
                throw new CatalogException(
                        "malformed Helm index: entries." + chart + " must be a list of chart versions");
            }
            if (!Names.PACK.matcher(chart).matches()) {
                skipped.add(chart + ": not a valid chart name");
                continue;
            }
            CatalogPack pack = chart(chart, entry.getValue(), skipped);
            if (pack != null) {
                packs.add(pack);
            }
        }
        return new Catalog(packs, skipped);
    }

    private static CatalogPack chart(String chart, JsonNode versions, List<String> skipped) throws CatalogException {
        List<CatalogRelease> releases = new ArrayList<>();
        Set<SemVer> seen = new HashSet<>();
        String description = null;
        String category = null;
        SemVer newest = null;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            if (!v.isObject()) {
                throw new CatalogException(
                        "malformed Helm index: entries." + chart + "[" + i + "] must be a chart version (a mapping)");
            }
            String version = text(v, "version");
            SemVer semver = SemVer.parse(version);
            if (semver == null) {
                skipped.add(chart + " " + version + ": not a semantic version");
                continue;
            }
            if ("library".equals(text(v, "type"))) {
                skipped.add(chart + " " + version + ": library chart (not installable)");
                continue;
            }
            if (!seen.add(semver)) {
                skipped.add(chart + " " + version + ": listed twice");
                continue;
            }
            List<String> urls = new ArrayList<>();
            v.path("urls").forEach(u -> {
                if (u.isTextual()) {
                    urls.add(u.asText().replace("\u0000", ""));
                }
            });
            releases.add(new CatalogRelease(
                    version,
                    "",
                    List.of(),
                    text(v, "appVersion"),
                    text(v, "digest"),
                    urls,
                    instant(text(v, "created"))));
            if (newest == null || semver.compareTo(newest) > 0) {
                newest = semver;
                description = text(v, "description");
                JsonNode annotations = v.path("annotations");
                category = text(annotations, "category") != null
                        ? text(annotations, "category")
                        : text(annotations, "artifacthub.io/category");
            }
        }
        if (releases.isEmpty()) {
            return null;
        }
        releases.sort(Comparator.comparing((CatalogRelease r) -> SemVer.parse(r.version()))
                .reversed());
        return new CatalogPack(chart, PackLayer.ADDON, addonType(category), chart, description, releases);
    }

    /** Chart categories (Bitnami's "category", Artifact Hub's "artifacthub.io/category") become add-on types. */
    private static String addonType(String category) {
        if (category == null) {
            return null;
        }
        String slug = category.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return Names.LABEL.matcher(slug).matches() ? slug : null;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null; // informative only; Helm itself tolerates odd timestamps
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
