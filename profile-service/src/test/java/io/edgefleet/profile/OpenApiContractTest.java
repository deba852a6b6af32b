package io.edgefleet.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.testsupport.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served OpenAPI document is the checked-in contract the SDK is generated from, in the shared style. */
@QuarkusTest
class OpenApiContractTest {

    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void servedDocumentIsTheCheckedInOne() {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        OpenApiContract.assertCheckedIn(served, Path.of("src/main/openapi/openapi.yaml"));
    }

    @Test
    void everyOperationKeepsTheSharedStyle() {
        assertEquals(List.of(), OpenApiContract.styleViolations(servedJson()));
    }

    /** Generated clients take path parameters in the document's order: it must be the template's. */
    @Test
    void pathParametersComeInPathOrder() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(servedJson()).path("paths");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            List<String> template = new ArrayList<>();
            Matcher m = TEMPLATE_PARAMETER.matcher(path.getKey());
            while (m.find()) {
                template.add(m.group(1));
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                List<String> documented = new ArrayList<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if (parameter.path("in").asText().equals("path")) {
                        documented.add(parameter.path("name").asText());
                    }
                }
                if (!documented.equals(template)) {
                    wrong.add(operation.getKey().toUpperCase() + " " + path.getKey() + ": " + documented);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** A {@code $ref} to a schema nobody registered makes client generation fail. */
    @Test
    void everySchemaReferenceResolves() throws Exception {
        JsonNode root = new ObjectMapper().readTree(servedJson());
        List<String> dangling = new ArrayList<>();
        collectDangling(root, root.path("components").path("schemas"), dangling);
        assertEquals(List.of(), dangling);
    }

    private static void collectDangling(JsonNode node, JsonNode schemas, List<String> dangling) {
        if (node.isObject()) {
            String ref = node.path("$ref").asText("");
            if (ref.startsWith("#/components/schemas/") && !schemas.has(ref.substring("#/components/schemas/".length()))) {
                dangling.add(ref);
            }
        }
        node.forEach(child -> collectDangling(child, schemas, dangling));
    }

    private static String servedJson() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    }
}
