package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.ZipkinTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One cluster creation is one trace: the REST call (with the caller's W3C traceparent), the outbox relay's publish of
 * the create-node command, the bridge's relay to MQTT, the gateway's run of it (a real gateway, Docker driver), the
 * bridge's relay of the result to Kafka and cluster-service's handling of the result all carry the same trace id —
 * read back from a real Zipkin server (its query API) that the service, the bridge process and the gateway export to.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceTest {

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private ProfileSnapshot profile;

    @BeforeAll
    void setUp() {
        gateways = new Gateways();
        bus = new Bus(db);
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    @Test
    void aClusterCreationIsOneTraceFromTheRestCallToTheHandlingOfTheGatewaysResult() {
        String uid = "traced-1";
        bus.appliance(TENANT_A, Fixtures.ready(gateways.startDocker(TENANT_A, uid, Gateways.newStateDir(uid)), 1));
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        String traceId = HexFormat.of().formatHex(id);
        String clusterId = admin(TENANT_A)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01") // the caller's trace
                .body(Fixtures.containerizedCluster("traced", profile.id(), uid, 0, uid))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        gateways.track(clusterId);
        awaitStatus(TENANT_A, clusterId, "RUNNING", Duration.ofSeconds(90));

        Set<String> expected = Set.of(
                "cluster-service server post /v1/clusters",
                "cluster-service producer publish edgefleet.gateway.command.create-node.v1",
                "edge-bridge producer relay edgefleet.gateway.command.create-node.v1 to mqtt",
                "edge-gateway consumer run edgefleet.gateway.command.create-node.v1",
                "edge-bridge producer relay edgefleet.gateway.command.completed.v1 to kafka",
                "cluster-service consumer handle edgefleet.gateway.command.completed.v1");
        Eventually.holds(
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                () -> names(spans(traceId)).containsAll(expected));
        List<Map<String, Object>> spans = spans(traceId);
        assertTrue(
                names(spans).containsAll(expected),
                () -> "trace " + traceId + " has " + names(spans) + ", not all of " + expected);
        // one tree: every span leads through its parents to the REST call, whose parent is the caller's span
        Map<Object, Map<String, Object>> byId = spans.stream().collect(Collectors.toMap(s -> s.get("id"), s -> s));
        for (Map<String, Object> span : spans) {
            Map<String, Object> root = span;
            while (byId.containsKey(root.get("parentId"))) {
                root = byId.get(root.get("parentId"));
            }
            assertTrue(
                    "00f067aa0ba902b7".equals(root.get("parentId")) && "SERVER".equals(root.get("kind")),
                    "span " + name(span) + " leads to " + name(root) + ", not to the REST call");
        }
        System.out.printf("[trace] %s: %d spans%n", traceId, spans.size());
        spans.stream()
                .sorted(Comparator.comparing(s -> ((Number) s.get("timestamp")).longValue()))
                .forEach(s -> System.out.printf("[trace]   %s (parent %s)%n", name(s), s.get("parentId")));
    }

    /** Every span Zipkin has of the trace, as Zipkin's v2 JSON objects. */
    private static List<Map<String, Object>> spans(String traceId) {
        String json = ZipkinTestResource.server().trace(traceId);
        return json == null ? List.of() : JsonPath.from(json).getList("");
    }

    /** {@code "<service> <kind> <name>"} of each span (span names are lower case in Zipkin). */
    private static Set<String> names(List<Map<String, Object>> spans) {
        return spans.stream().map(TraceTest::name).collect(Collectors.toSet());
    }

    private static String name(Map<String, Object> span) {
        return ((Map<?, ?>) span.get("localEndpoint")).get("serviceName") + " "
                + String.valueOf(span.get("kind")).toLowerCase() + " " + span.get("name");
    }
}
