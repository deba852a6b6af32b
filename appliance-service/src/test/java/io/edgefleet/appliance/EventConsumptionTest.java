package io.edgefleet.appliance;

import io.edgefleet.events.Topics;
import io.edgefleet.kit.messaging.DeadLetters;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.KafkaTestResource;
import io.edgefleet.testsupport.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No event is lost silently: a report that cannot be applied while PostgreSQL is away waits (the consumer holds its
 * partition and says it is stuck) and is applied when the database returns, however long that takes; a malformed
 * record is moved to dead-letters with its reason, and the records after it are applied.
 */
@QuarkusTest
@TestInfrastructure
class EventConsumptionTest {

    private static final String CONSUMER = "appliance-service/gateway-reports";

    @Test
    void aReportArrivingWhilePostgresIsDownIsAppliedWhenItReturns() throws Exception {
        String uid = "pg-outage-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        PostgresTestResource.stopServer();
        try (GatewayReports reports = new GatewayReports()) {
            reports.send(TENANT_A, GatewayReports.report(uid, "pg-outage"));
            // down for many times events.stuck-after (2 s in tests): the old consumer gave the event up after its
            // retry period; now it keeps it and reports itself stuck
            Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(500), () -> stuck() == 1);
            assertEquals(1, stuck(), "the consumer reports itself stuck while the database is away");
            given().get("/q/health/well").then().statusCode(503).body(containsString(CONSUMER));
            // a long outage: many retries, nothing given up (the consumer stays stuck on the event)
            Eventually.stays(
                    "still stuck on the report", Duration.ofSeconds(8), Duration.ofMillis(500), () -> stuck() == 1);
        } finally {
            PostgresTestResource.startServer();
        }
        Eventually.holds(Duration.ofSeconds(60), Duration.ofMillis(500), () -> paired(uid));
        assertTrue(paired(uid), "the report sent during the outage paired the appliance");
        Eventually.holds(Duration.ofSeconds(10), Duration.ofMillis(200), () -> stuck() == 0);
        assertEquals(0, stuck());
    }

    @Test
    void aMalformedRecordGoesToDeadLettersWithItsReasonAndTheNextReportIsApplied() {
        String key = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] garbage = ("not a cloud event " + key).getBytes(StandardCharsets.UTF_8);
        String uid = "after-dlq-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, uid, "{}");
        String refused = "nul-" + UUID.randomUUID().toString().substring(0, 8);
        register(TENANT_A, refused, "{}");
        try (GatewayReports reports = new GatewayReports()) {
            reports.sendRaw(new ProducerRecord<>(Topics.GATEWAY_REPORTS, key, garbage));
            // well-formed JSON whose text PostgreSQL can never store: refused for good, not retried forever
            reports.send(TENANT_A, GatewayReports.report(refused, "nul\u0000host"));
            reports.send(TENANT_A, GatewayReports.report(uid, "after-dlq"));
        }
        Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(200), () -> paired(uid));
        assertTrue(paired(uid), "the report after the malformed record was applied");

        ConsumerRecord<String, byte[]> letter = deadLetter(key, Duration.ofSeconds(30));
        assertArrayEquals(garbage, letter.value(), "the record as it was");
        assertEquals(CONSUMER, header(letter, DeadLetters.CONSUMER));
        assertEquals(Topics.GATEWAY_REPORTS, header(letter, DeadLetters.TOPIC));
        assertTrue(header(letter, DeadLetters.REASON).contains("ce_"), header(letter, DeadLetters.REASON));
        Long.parseLong(header(letter, DeadLetters.OFFSET));

        ConsumerRecord<String, byte[]> nul = deadLetter(refused, Duration.ofSeconds(30));
        assertEquals(CONSUMER, header(nul, DeadLetters.CONSUMER));
        assertTrue(!paired(refused), "the refused report changed nothing");
    }

    private static int stuck() {
        return (int) MetricsApiTest.value("edgefleet_events_stuck", "consumer=\"" + CONSUMER + "\"");
    }

    private static boolean paired(String uid) {
        return admin(TENANT_A).get("/v1/appliances/" + uid).then().extract().path("pairedAt") != null;
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key, Duration timeout) {
        Map<String, Object> config = new HashMap<>(KafkaTestResource.broker().adminProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-dead-letters-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter with key " + key + " within " + timeout);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
