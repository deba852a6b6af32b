package io.edgefleet.appliance;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.edgefleet.appliance.ApplianceApiTest.admin;
import static io.edgefleet.appliance.ApplianceApiTest.viewer;
import static io.edgefleet.appliance.PairingTest.about;
import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.appliance.PairingTest.types;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real gateways on this machine over the real edge link: they enrol with a registration token at this service's HTTPS
 * edge port (key made on the "appliance", CSR, certificate of the edge CA), speak MQTT over TLS to Mosquitto, and their
 * reports reach this service through the edge bridge process and Kafka. Revocation and delete travel back the other way:
 * appliance-events, the bridge's access sync (device ACL, CRL, session take-over), the broker.
 */
@QuarkusTest
@TestInfrastructure
class GatewayEndToEndTest {

    @Inject
    AgroalDataSource db;

    /** A reporting-only gateway (no node driver) whose identity comes from enrolment with the token in its token file. */
    private static EdgeGateway enrolling(String uid, Path home, String token) throws IOException {
        Path tokenFile = home.resolve("registration-token");
        writeSecret(tokenFile, token);
        IdentitySource enrol =
                new IdentitySource.Enrol(URI.create(EdgeClient.httpsBase()), tokenFile, Duration.ofSeconds(2));
        GatewaySettings settings = new GatewaySettings(
                uid,
                enrol,
                EdgeLinkTestResource.pki().platformCa().certFile(),
                null,
                false,
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                ProxySettings.NONE,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                home.resolve("state"));
        return new EdgeGateway(settings, InventoryProbe.ofThisMachine(), null).start();
    }

    private static void writeSecret(Path file, String value) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path home(String uid) {
        return Path.of(
                        "target",
                        "gateways",
                        uid + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }

    private static String token(String body) {
        return RegistrationTokenApiTest.create(TENANT_A, body).secret();
    }

    @Test
    void aGatewayEnrolsWithARegistrationTokenAndPairsOverTheEdgeLink() throws Exception {
        String uid = "e2e-enrol";
        Path home = home(uid);
        String token = token("""
                {"tags": {"name": "Enrolled over the edge link"}}
                """);
        try (EdgeGateway gateway = enrolling(uid, home, token)) {
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
            viewer(TENANT_A)
                    .get("/v1/appliances/" + uid)
                    .then()
                    .body("name", equalTo("Enrolled over the edge link")) // the token's tags
                    .body("identity.status", equalTo("ENROLLED"))
                    .body("inventory.hostname", notNullValue())
                    .body("inventory.cpus", greaterThan(0))
                    .body("gatewayVersion", equalTo(EdgeGateway.VERSION));
            // the private key was made here and stays here, readable by its owner only
            Path key = home.resolve("state")
                    .resolve("identity")
                    .resolve("client.key")
                    .toRealPath();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(30));

        try (EdgeGateway gateway =
                enrolling(uid, home, token)) { // a restart: same key and certificate, no new enrolment
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
        }
        viewer(TENANT_A)
                .get("/v1/appliances/" + uid + "/certificates")
                .then()
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("ACTIVE"));
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, uid), 5, Duration.ofSeconds(20));
            assertEquals(
                    List.of(
                            EventTypes.APPLIANCE_REGISTERED,
                            EventTypes.APPLIANCE_ENROLLED,
                            EventTypes.APPLIANCE_PAIRED,
                            EventTypes.APPLIANCE_UNREACHABLE,
                            EventTypes.APPLIANCE_REACHABLE),
                    types(events).subList(0, 5));
        }
    }

    @Test
    void revokingCutsTheApplianceOffAndReEnrolmentBringsItBackWithItsCluster() throws Exception {
        String uid = "e2e-revoke";
        Path home = home(uid);
        try (EdgeGateway gateway = enrolling(uid, home, token("{}"))) {
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
            EnrolmentTest.useBy(TENANT_A, "c0e2e0001", uid);

            admin(TENANT_A)
                    .delete("/v1/appliances/" + uid + "/certificates")
                    .then()
                    .statusCode(204);
            // within seconds the broker refuses its reports (deny entry) and ends its session; reconnects fail (CRL)
            assertTrue(
                    eventually(
                            Duration.ofSeconds(20),
                            () -> !gateway.connected()
                                    || String.valueOf(gateway.reportFailure()).contains("NOT_AUTHORIZED")),
                    "cut off: " + gateway.reportFailure());
            awaitStatus(TENANT_A, uid, ApplianceStatus.UNREACHABLE, Duration.ofSeconds(30));
            Eventually.stays(
                    "nothing of it gets through",
                    Duration.ofSeconds(3),
                    Duration.ofMillis(300),
                    () -> "UNREACHABLE".equals(PairingTest.statusOf(TENANT_A, uid)));
            assertFalse(gateway.connected(), "its certificate is refused at every reconnection");

            // the operator re-enrols it with a token for its uid: the same appliance, with its cluster, is back
            writeSecret(home.resolve("registration-token"), token("""
                    {"uid":"%s"}""".formatted(uid)));
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(90));
        }
        viewer(TENANT_A)
                .get("/v1/appliances/" + uid)
                .then()
                .body("usedByCluster", equalTo("c0e2e0001"))
                .body("identity.status", equalTo("ENROLLED"));
        viewer(TENANT_A)
                .get("/v1/appliances/" + uid + "/certificates")
                .then()
                .body("items", hasSize(2))
                .body("items.findAll { it.status == 'ACTIVE' }", hasSize(1))
                .body("items.findAll { it.status == 'REVOKED' }", hasSize(1));
    }

    @Test
    void aDeletedAppliancesGatewayCanReportNothingMore() throws Exception {
        String uid = "e2e-delete";
        try (EdgeGateway gateway = enrolling(uid, home(uid), token("{}"))) {
            awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(60));
            admin(TENANT_A).delete("/v1/appliances/" + uid).then().statusCode(204);
            assertTrue(
                    eventually(
                            Duration.ofSeconds(20),
                            () -> !gateway.connected()
                                    || String.valueOf(gateway.reportFailure()).contains("NOT_AUTHORIZED")),
                    "cut off: " + gateway.reportFailure());
            // heartbeats every second: had any got through, the uid would be back as a discovered appliance
            Eventually.stays(
                    "no report of the deleted appliance reached the service",
                    Duration.ofSeconds(5),
                    Duration.ofMillis(300),
                    () -> !discoveredOrThrow(uid));
            viewer(TENANT_A).get("/v1/appliances/" + uid).then().statusCode(404);
        }
    }

    @Test
    void aGatewayWithACertificateFromElsewhereIsKeptAsDiscoveredUntilItsUidIsRegistered() throws SQLException {
        // a certificate of the edge CA provisioned without enrolment (e.g. by a factory): the appliance is not
        // registered
        String uid = "e2e-after";
        EdgePki.Issued device = EdgeLinkTestResource.pki().device(TENANT_A, uid);
        GatewaySettings settings = GatewaySettings.issued(
                uid,
                device.certFile(),
                device.keyFile(),
                EdgeLinkTestResource.broker().deviceUrl(),
                EdgeLinkTestResource.pki().platformCa().certFile(),
                home(uid));
        try (EdgeGateway gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), null).start()) {
            assertTrue(
                    eventually(Duration.ofSeconds(30), () -> discoveredQuietly(uid)),
                    "the gateway's report was kept as a discovered appliance");
            viewer(TENANT_A).get("/v1/appliances/" + uid).then().statusCode(404); // not registered yet

            admin(TENANT_A)
                    .body("""
                    {"uid": "%s", "tags": {"name": "Gateway first"}}
                    """.formatted(uid))
                    .post("/v1/appliances")
                    .then()
                    .statusCode(201)
                    .body("status", equalTo("READY"))
                    .body("inventory.hostname", notNullValue());
        }
        try (TopicReader reader = new TopicReader(Topics.APPLIANCE_EVENTS)) {
            var events = reader.await(about(TENANT_A, uid), 2, Duration.ofSeconds(20));
            assertEquals(List.of(EventTypes.APPLIANCE_REGISTERED, EventTypes.APPLIANCE_PAIRED), types(events));
        }
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) {
        return Eventually.holds(timeout, Duration.ofMillis(200), condition);
    }

    private boolean discoveredQuietly(String uid) {
        try {
            return discovered(uid);
        } catch (SQLException e) {
            return false;
        }
    }

    private boolean discoveredOrThrow(String uid) {
        try {
            return discovered(uid);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean discovered(String uid) throws SQLException {
        try (var c = db.getConnection();
                var st = c.prepareStatement(
                        "select count(*) from appliance where tenant = ? and uid = ? and not registered")) {
            st.setString(1, TENANT_A);
            st.setString(2, uid);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
