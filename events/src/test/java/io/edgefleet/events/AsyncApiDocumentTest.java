package io.edgefleet.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The AsyncAPI document names exactly the topics and event types the code defines. */
class AsyncApiDocumentTest {

    private static JsonNode document() throws Exception {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    private static Set<String> constants(Class<?> type) {
        return Stream.of(type.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(AsyncApiDocumentTest::value)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyTopicIsAChannel() throws Exception {
        Set<String> addresses = new HashSet<>();
        document().path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertEquals(constants(Topics.class), addresses);
    }

    @Test
    void everyEventTypeIsAMessage() throws Exception {
        Set<String> names = new HashSet<>();
        document().path("components").path("messages").forEach(message -> names.add(message.path("name").asText()));
        assertEquals(constants(EventTypes.class), names);
    }

    @Test
    void everyMessageRefersToAnExistingPayloadSchema() throws Exception {
        JsonNode doc = document();
        List<String> missing = new java.util.ArrayList<>();
        doc.path("components").path("messages").forEach(message -> {
            String ref = message.path("payload").path("$ref").asText();
            String schema = ref.substring(ref.lastIndexOf('/') + 1);
            if (doc.path("components").path("schemas").path(schema).isMissingNode()) {
                missing.add(message.path("name").asText() + " -> " + ref);
            }
        });
        assertEquals(List.of(), missing);
    }
}
