package io.edgefleet.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SDK is generated from the four services' documents into one model package and one API package: a schema
 * name two services use must mean the same thing there (else one would silently replace the other), and a tag
 * (an API class) belongs to one service.
 */
class SdkContractTest {

    static final List<String> SERVICES =
            List.of("appliance-service", "profile-service", "cluster-service", "policy-service");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void aSchemaNameMeansOneThingAcrossServices() throws IOException {
        Map<String, JsonNode> seen = new HashMap<>();
        Map<String, String> owner = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (String service : SERVICES) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            document(service).path("components").path("schemas").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> schema = it.next();
                JsonNode earlier = seen.putIfAbsent(schema.getKey(), schema.getValue());
                if (earlier != null && !earlier.equals(schema.getValue())) {
                    clashes.add(schema.getKey() + " differs between " + owner.get(schema.getKey()) + " and " + service);
                }
                owner.putIfAbsent(schema.getKey(), service);
            }
        }
        assertEquals(List.of(), clashes);
    }

    @Test
    void aTagBelongsToOneService() throws IOException {
        Map<String, String> owner = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (String service : SERVICES) {
            for (JsonNode paths : document(service).path("paths")) {
                for (JsonNode operation : paths) {
                    for (JsonNode tag : operation.path("tags")) {
                        String earlier = owner.putIfAbsent(tag.asText(), service);
                        if (earlier != null && !earlier.equals(service)) {
                            clashes.add("tag " + tag.asText() + " is used by " + earlier + " and " + service);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), clashes);
    }

    static JsonNode document(String service) throws IOException {
        return YAML.readTree(
                Path.of("..", service, "src/main/openapi/openapi.yaml").toFile());
    }
}
