package io.edgefleet.gateway.it;

import io.edgefleet.events.EventTypes;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.testsupport.EdgePki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's device listener takes only valid certificates of the edge CA: a gateway presenting an expired
 * certificate, one of another CA (with a CN that names a real appliance), or a revoked one never connects, and nothing
 * of it reaches the bridge. A valid certificate of the same appliance connects at once.
 */
class BrokerIdentityTest {

    private static ManagementPlane plane;
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "broker-identity-");
        plane = ManagementPlane.start(home.resolve("plane"));
    }

    @AfterAll
    static void stop() {
        plane.close();
    }

    private static GatewaySettings with(String uid, EdgePki.Issued certificate) {
        return GatewaySettings.issued(
                uid,
                certificate.certFile(),
                certificate.keyFile(),
                plane.broker.deviceUrl(),
                plane.pki.platformCa().certFile(),
                home.resolve("state-" + uid + "-" + UUID.randomUUID().toString().substring(0, 6)));
    }

    private static void refused(String uid, EdgePki.Issued certificate) {
        try (EdgeGateway gateway =
                new EdgeGateway(with(uid, certificate), InventoryProbe.ofThisMachine(), null).start()) {
            // it tries (and logs the TLS alert: unknown_ca, certificate_expired, certificate_revoked) again and again
            assertFalse(
                    GatewayHarness.eventually(Duration.ofSeconds(8), gateway::connected), uid + ": never connected");
        }
        assertTrue(
                plane.bridge
                        .settle(r -> r.uid().equals(uid), Duration.ofSeconds(1))
                        .isEmpty(),
                "nothing of " + uid + " got through");
    }

    @Test
    void anExpiredCertificateIsRefused() {
        Instant now = Instant.now();
        refused(
                "expired-gw",
                plane.pki.device(TENANT, "expired-gw", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))));
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedEvenWithARealAppliancesName() {
        String uid = "impersonated-gw";
        refused(uid, plane.pki.foreignDevice(TENANT, uid));
        // the genuine appliance with a certificate of the edge CA gets through
        try (EdgeGateway gateway = new EdgeGateway(
                        with(uid, plane.pki.device(TENANT, uid)), InventoryProbe.ofThisMachine(), null)
                .start()) {
            assertFalse(
                    plane.bridge
                            .await(
                                    r -> r.uid().equals(uid) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                    1,
                                    Duration.ofSeconds(30))
                            .isEmpty(),
                    "registered with its real certificate");
        }
    }

    @Test
    void aRevokedCertificateIsRefusedOnceTheCrlListsIt() {
        String uid = "revoked-gw";
        EdgePki.Issued revoked = plane.pki.device(TENANT, uid);
        plane.pki.revoke(revoked);
        plane.broker.reload(); // as the bridge's access sync does after installing appliance-service's CRL
        refused(uid, revoked);
    }
}
