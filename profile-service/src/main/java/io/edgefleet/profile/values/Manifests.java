package io.edgefleet.profile.values;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.kit.rest.Validator;

import java.util.List;

/**
 * Raw Kubernetes manifests: YAML documents ({@code ---} separated), each an object with
 * {@code apiVersion}, {@code kind} and {@code metadata.name}. Anything else would only fail later, on
 * the cluster, far from the person who wrote it.
 */
public final class Manifests {

    public static final int MAX_DOCUMENTS = 100;

    private Manifests() {}

    /** Adds an error for {@code field} for every problem of {@code content}. */
    public static void check(String content, String field, Validator v) {
        List<JsonNode> documents;
        try {
            documents = Yaml.documents(content);
        } catch (YamlException e) {
            v.require(false, field, e.getMessage());
            return;
        }
        v.require(!documents.isEmpty(), field, "contains no Kubernetes object");
        v.require(documents.size() <= MAX_DOCUMENTS, field, "has more than " + MAX_DOCUMENTS + " documents");
        for (int i = 0; i < documents.size() && i < MAX_DOCUMENTS; i++) {
            JsonNode doc = documents.get(i);
            String which = documents.size() == 1 ? "" : "document " + (i + 1) + ": ";
            if (!doc.isObject()) {
                v.require(false, field, which + "must be a Kubernetes object (a mapping), not " + Yaml.describe(doc));
                continue;
            }
            v.require(text(doc.get("apiVersion")), field, which + "apiVersion is required");
            v.require(text(doc.get("kind")), field, which + "kind is required");
            v.require(text(doc.path("metadata").get("name")), field, which + "metadata.name is required");
        }
    }

    private static boolean text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank();
    }
}
