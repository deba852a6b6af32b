package io.edgefleet.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgefleet.events.payload.ApplianceSnapshot;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.LinkLost;
import io.edgefleet.events.payload.PolicyRunSnapshot;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.events.payload.RolloutSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The AsyncAPI document names exactly the topics and event types the code defines, and describes every field of the
 * payload records.
 */
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
                .collect(Collectors.toSet());
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
        assertEquals(constants(Topics.class), addresses("local"));
    }

    @Test
    void theEdgeBrokerHasTheCommandAndReportTopicsOfEdgeTopics() throws Exception {
        assertEquals(
                Set.of(
                        EdgeTopics.commands("tenant", "uid").replace("tenant/uid", "{tenant}/{uid}"),
                        EdgeTopics.reports("tenant", "uid").replace("tenant/uid", "{tenant}/{uid}")),
                addresses("edge"));
        // every report type the bridge accepts is a message of the report channel
        Set<String> reports = new HashSet<>();
        JsonNode doc = document();
        doc.path("channels").path("edgeReports").path("messages").forEach(ref -> {
            String name = ref.path("$ref").asText().substring("#/components/messages/".length());
            reports.add(doc.path("components")
                    .path("messages")
                    .path(name)
                    .path("name")
                    .asText());
        });
        assertEquals(EventTypes.GATEWAY_REPORT_TYPES, reports);
    }

    /** Channel addresses on {@code server} (a channel names its server). */
    private static Set<String> addresses(String server) throws Exception {
        Set<String> addresses = new HashSet<>();
        document().path("channels").forEach(channel -> {
            if (channel.path("servers").toString().contains("#/servers/" + server + "\"")) {
                addresses.add(channel.path("address").asText());
            }
        });
        return addresses;
    }

    @Test
    void everyEventTypeIsAMessage() throws Exception {
        Set<String> names = new HashSet<>();
        document().path("components").path("messages").forEach(message -> {
            if (message.has("traits")) { // a CloudEvent (the dead letter is a record as it was)
                names.add(message.path("name").asText());
            }
        });
        assertEquals(constants(EventTypes.class), names);
    }

    @Test
    void everyMessageRefersToAnExistingPayloadSchema() throws Exception {
        JsonNode doc = document();
        List<String> missing = new ArrayList<>();
        doc.path("components").path("messages").forEach(message -> {
            if (!message.has("traits")) {
                return; // the dead letter's payload is the original bytes
            }
            String ref = message.path("payload").path("$ref").asText();
            String schema = ref.substring(ref.lastIndexOf('/') + 1);
            if (doc.path("components").path("schemas").path(schema).isMissingNode()) {
                missing.add(message.path("name").asText() + " -> " + ref);
            }
        });
        assertEquals(List.of(), missing);
    }

    // a field added to a payload record and forgotten in the document is one consumers do not learn of
    @ParameterizedTest
    @ValueSource(
            classes = {
                ApplianceSnapshot.class,
                ClusterSnapshot.class,
                GatewayReport.class,
                LinkLost.class,
                PolicyRunSnapshot.class,
                PolicySnapshot.class,
                ProfileSnapshot.class,
                RolloutSnapshot.class
            })
    void theSchemaOfAPayloadRecordHasExactlyItsFields(Class<?> payload) throws Exception {
        JsonNode schema = document().path("components").path("schemas").path(payload.getSimpleName());
        Set<String> properties = new HashSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);

        assertEquals(
                Stream.of(payload.getRecordComponents())
                        .map(RecordComponent::getName)
                        .collect(Collectors.toSet()),
                properties);
    }
}
