package io.edgefleet.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API contract as a build step (docs/api.md): a service's served OpenAPI document must equal the one checked in
 * (the SDK is generated from that file), and every operation keeps the shared style. Run the service's tests with
 * {@code -Dopenapi.update=true} to write the served document into the checked-in file after an intended change.
 */
public final class OpenApiContract {

    /** verb + noun: {@code getAppliance}, {@code listClusters}, {@code rollCluster}. */
    private static final Pattern OPERATION_ID = Pattern.compile("[a-z]+[A-Z][A-Za-z0-9]*");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final String SCHEMAS = "#/components/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiContract() {}

    /** Fails with the first differing line unless the served YAML equals the checked-in file. */
    public static void assertCheckedIn(String servedYaml, Path checkedIn) {
        String served = servedYaml.replace("\r\n", "\n");
        try {
            if (Boolean.getBoolean("openapi.update")) {
                Files.createDirectories(checkedIn.toAbsolutePath().getParent());
                Files.writeString(checkedIn, served);
                return;
            }
            if (!Files.exists(checkedIn)) {
                throw new AssertionError(
                        checkedIn + " is missing; run the tests with -Dopenapi.update=true to write it");
            }
            String expected = Files.readString(checkedIn).replace("\r\n", "\n");
            if (!expected.equals(served)) {
                throw new AssertionError("the served OpenAPI document differs from " + checkedIn + " "
                        + firstDifference(expected, served)
                        + "; if the change is intended, run the tests with -Dopenapi.update=true, "
                        + "commit the file, and bump info.version for a breaking change (docs/api.md)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule of the shared style that the document breaks, one line each (empty when it keeps them all). */
    public static List<String> styleViolations(String servedJson) {
        JsonNode root;
        try {
            root = JSON.readTree(servedJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> violations = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    String name = op.getKey().toUpperCase() + " " + path.getKey();
                    checkOperation(name, op.getValue(), operationIds, violations);
                    checkPathOrder(name, path.getKey(), op.getValue(), violations);
                }
            }
        }
        List<String> dangling = new ArrayList<>();
        danglingReferences(root, root.path("components").path("schemas"), dangling);
        dangling.forEach(ref -> violations.add("$ref " + ref + " names no schema (client generation fails)"));
        return violations;
    }

    private static void danglingReferences(JsonNode node, JsonNode schemas, List<String> dangling) {
        if (node.isObject()) {
            String ref = node.path("$ref").asText("");
            if (ref.startsWith(SCHEMAS) && !schemas.has(ref.substring(SCHEMAS.length())) && !dangling.contains(ref)) {
                dangling.add(ref);
            }
        }
        node.forEach(child -> danglingReferences(child, schemas, dangling));
    }

    /** Generated clients take path parameters in the document's order: it must be the template's. */
    private static void checkPathOrder(String name, String path, JsonNode op, List<String> violations) {
        List<String> template = new ArrayList<>();
        Matcher m = TEMPLATE_PARAMETER.matcher(path);
        while (m.find()) {
            template.add(m.group(1));
        }
        List<String> documented = new ArrayList<>();
        for (JsonNode parameter : op.path("parameters")) {
            if (parameter.path("in").asText().equals("path")) {
                documented.add(parameter.path("name").asText());
            }
        }
        if (!documented.equals(template)) {
            violations.add(name + ": path parameters " + documented + " are not in the path's order " + template);
        }
    }

    private static void checkOperation(String name, JsonNode op, Set<String> operationIds, List<String> violations) {
        String id = op.path("operationId").asText("");
        if (!OPERATION_ID.matcher(id).matches()) {
            violations.add(name + ": operationId '" + id + "' is not verb + noun (getAppliance, listClusters)");
        } else if (!operationIds.add(id)) {
            violations.add(name + ": operationId '" + id + "' is used twice");
        }
        if (op.path("summary").asText("").isBlank()) {
            violations.add(name + ": no summary");
        }
        boolean success = false;
        for (Iterator<Map.Entry<String, JsonNode>> responses =
                        op.path("responses").fields();
                responses.hasNext(); ) {
            Map.Entry<String, JsonNode> response = responses.next();
            String code = response.getKey();
            JsonNode content = response.getValue().path("content");
            if (code.startsWith("2")) {
                success = true;
                if ((code.equals("200") || code.equals("201")) && content.isEmpty()) {
                    violations.add(name + ": response " + code + " has no body schema");
                }
            } else if (code.startsWith("4") || code.startsWith("5")) {
                if (!content.has("application/problem+json") || content.size() != 1) {
                    violations.add(name + ": error " + code + " is not only application/problem+json");
                }
            }
        }
        if (!success) {
            violations.add(name + ": no 2xx response");
        }
        for (JsonNode parameter : op.path("parameters")) {
            String type = parameter.path("schema").path("type").asText("");
            String parameterName = parameter.path("name").asText();
            if ((parameterName.equals("page") || parameterName.equals("size")) && !type.equals("integer")) {
                violations.add(name + ": query parameter " + parameterName + " is '" + type + "', not integer");
            }
            if (parameter.path("schema").isMissingNode()) {
                violations.add(name + ": parameter " + parameterName + " has no schema");
            }
        }
    }

    private static String firstDifference(String expected, String served) {
        String[] a = expected.split("\n", -1);
        String[] b = served.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String left = i < a.length ? a[i] : "<end of file>";
            String right = i < b.length ? b[i] : "<end of document>";
            if (!left.equals(right)) {
                return "at line " + (i + 1) + ": checked in '" + left.strip() + "', served '" + right.strip() + "'";
            }
        }
        return "";
    }
}
