package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.register;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.appliance.PairingTest.sleep;
import static io.edgefleet.appliance.PairingTest.types;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real gateway instances on this machine pair appliances through the real broker. */
@QuarkusTest
class GatewayEndToEndTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource db;

    /** A gateway that only reports (no node driver), keeping its state in a directory per uid. */
    private EdgeGateway gateway(String uid) {
        GatewaySettings settings = new GatewaySettings(uid, TENANT_A, bootstrap, null, false, "online",
                "192.168.0.0/16", "10.96.0.0/12", null, null, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Path.of("target", "gateway-state", uid));
        return new EdgeGateway(settings, InventoryProbe.ofThisMachine(), () -> TestTokens.gateway(TENANT_A), null).start();
    }

    @Test
    void registeredFirstThenGatewayStarts_andTheGatewayGoesAwayAndComesBack() {
        register(TENANT_A, "e2e-before", "{\"name\":\"Registered first\"}");
        assertEquals("UNPAIRED", PairingTest.statusOf(TENANT_A, "e2e-before"));

        EdgeGateway gateway = gateway("e2e-before");
        try {
            awaitStatus(TENANT_A, "e2e-before", ApplianceStatus.READY, Duration.ofSeconds(30));
            viewer(TENANT_A).get("/v1/appliances/e2e-before").then()
                    .body("inventory.hostname", notNullValue())
                    .body("inventory.cpus", greaterThan(0))
                    .body("inventory.memoryBytes", greaterThan(0L))
                    .body("gatewayVersion", equalTo(EdgeGateway.VERSION))
                    .body("serviceCidr", equalTo("10.96.0.0/12"));
        } finally {
            gateway.close();
        }
        awaitStatus(TENANT_A, "e2e-before", ApplianceStatus.UNREACHABLE, Duration.ofSeconds(30));

        gateway = gateway("e2e-before");
        try {
            awaitStatus(TENANT_A, "e2e-before", ApplianceStatus.READY, Duration.ofSeconds(30));
        } finally {
            gateway.close();
        }

        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, "e2e-before"), 4, Duration.ofSeconds(20));
            assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED,
                    EventTypes.APPLIANCE_UNREACHABLE, EventTypes.APPLIANCE_REACHABLE), types(events).subList(0, 4));
        }
    }

    @Test
    void gatewayStartsFirstThenTheApplianceIsRegistered() throws SQLException {
        EdgeGateway gateway = gateway("e2e-after");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!discovered("e2e-after") && System.nanoTime() < deadline) {
                sleep(200);
            }
            assertTrue(discovered("e2e-after"), "the gateway's report was kept as a discovered appliance");
            viewer(TENANT_A).get("/v1/appliances/e2e-after").then().statusCode(404); // not registered yet

            admin(TENANT_A).body("{\"uid\":\"e2e-after\",\"tags\":{\"name\":\"Gateway first\"}}").post("/v1/appliances")
                    .then().statusCode(201).body("status", equalTo("READY")).body("inventory.hostname", notNullValue());
        } finally {
            gateway.close();
        }
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, "e2e-after"), 2, Duration.ofSeconds(20));
            assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED), types(events));
        }
    }

    private boolean discovered(String uid) throws SQLException {
        try (var c = db.getConnection();
             var st = c.prepareStatement("select count(*) from appliance where tenant = ? and uid = ? and not registered")) {
            st.setString(1, TENANT_A);
            st.setString(2, uid);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
