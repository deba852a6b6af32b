package io.edgefleet.gateway.it;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.DeviceKeys;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.identity.Pem;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.gateway.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enrolment end to end against a stand-in of appliance-service's enrolment endpoint ({@link EnrolmentStandIn}) and a
 * real Mosquitto: the key is made on the appliance (0600) and never sent, only the CSR; short-lived certificates
 * are renewed at 2/3 of their life with the current certificate and the MQTT connection moves to the new one; a
 * gateway that was away past its certificate's expiry enrols again with the token file as it is then, and a refused
 * token is one clear log line, not a crash.
 */
class EnrolmentTest {

    @TempDir
    Path home;

    private GatewaySettings settings(ManagementPlane plane, EnrolmentStandIn endpoint, String uid, Path tokenFile) {
        return new GatewaySettings(
                uid,
                new IdentitySource.Enrol(URI.create(endpoint.url()), tokenFile, Duration.ofSeconds(2)),
                plane.pki.platformCa().certFile(),
                "127.0.0.1",
                false,
                "online",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                home.resolve(uid));
    }

    private static EdgeGateway start(GatewaySettings settings) {
        return new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                .start();
    }

    private static Path writeToken(Path file, String token) throws Exception {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, token + "\n");
    }

    @Test
    void enrolsWithACsrOnlyRenewsAtTwoThirdsAndMovesTheConnectionToTheNewCertificate() throws Exception {
        String uid = "enrol-gw-" + UUID.randomUUID().toString().substring(0, 8);
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                EnrolmentStandIn endpoint =
                        new EnrolmentStandIn(plane.pki, TENANT, plane.broker.deviceUrl(), Duration.ofSeconds(30));
                LogCapture logs = new LogCapture()) {
            String token = endpoint.issueToken(null, 1);
            Path tokenFile = writeToken(home.resolve("token"), token);
            GatewaySettings settings = settings(plane, endpoint, uid, tokenFile);
            try (EdgeGateway gateway = start(settings)) {
                assertEquals(
                        1,
                        plane.bridge
                                .await(
                                        r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                        1,
                                        Duration.ofSeconds(60))
                                .size(),
                        "enrolled, connected and registered");

                // the key: made here, 0600, never sent — the request holds the token, the uid and a CSR, nothing else
                Path key = settings.stateDir().resolve("identity/client.key");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
                EnrolmentStandIn.Request enrolment = endpoint.requests().get(0);
                assertEquals("/v1/enrollments", enrolment.path());
                assertEquals(Set.of("token", "uid", "csr"), EnrolmentStandIn.fieldNames(enrolment.body()));
                assertTrue(enrolment.body().contains("BEGIN CERTIFICATE REQUEST"));
                assertFalse(enrolment.body().contains("PRIVATE KEY"), "no private key in the request");
                X509Certificate first = endpoint.issued().get(0);
                assertTrue(
                        DeviceKeys.belongTogether(Pem.readPrivateKey(Files.readString(key)), first),
                        "the certificate is for the key on disk");
                assertEquals(
                        TENANT + "/" + uid,
                        gateway.identity().orElseThrow().identity(),
                        "the tenant comes from the certificate");

                // renewal at 2/3 of 30 s, over TLS with the current certificate
                assertTrue(
                        GatewayHarness.eventually(
                                Duration.ofSeconds(90), () -> endpoint.count("/v1/enrollments/renewal") >= 1),
                        "renewed");
                EnrolmentStandIn.Request renewal = endpoint.requests().stream()
                        .filter(r -> r.path().endsWith("/renewal"))
                        .findFirst()
                        .orElseThrow();
                assertEquals(
                        first.getSerialNumber(),
                        renewal.clientCertificate().getSerialNumber(),
                        "with the current certificate");
                assertFalse(
                        renewal.at().isBefore(first.getNotBefore().toInstant().plusSeconds(20)),
                        "not before 2/3 of the life");
                assertEquals(Set.of("csr"), EnrolmentStandIn.fieldNames(renewal.body()));
                // the stand-in records the request before it has signed: wait for the certificate itself
                assertTrue(
                        GatewayHarness.eventually(
                                Duration.ofSeconds(30), () -> endpoint.issued().size() >= 2),
                        "a second certificate issued");
                X509Certificate second = endpoint.issued().get(1);
                assertTrue(GatewayHarness.eventually(
                        Duration.ofSeconds(30),
                        () -> gateway.connected()
                                && gateway.identity()
                                        .map(DeviceIdentity::certificate)
                                        .filter(c -> !c.equals(first))
                                        .isPresent()));
                assertTrue(
                        GatewayHarness.eventually(
                                Duration.ofSeconds(30),
                                () -> !logs.matching("connected to " + plane.broker.deviceUrl() + " as " + TENANT + "/"
                                                + uid + ", certificate "
                                                + second.getSerialNumber().toString(16))
                                        .isEmpty()),
                        "the MQTT connection moved to the new certificate: " + logs.matching("connected to"));
                assertTrue(
                        logs.matching("certificate " + second.getSerialNumber().toString(16) + " (session resumed")
                                        .size()
                                > 0,
                        "resuming the session: a renewal is no new enrolment");

                // the first certificate expires; a broker restart forces a new TLS handshake, which only a renewed one
                // passes
                assertTrue(GatewayHarness.eventually(
                        Duration.ofSeconds(60),
                        () -> Instant.now().isAfter(first.getNotAfter().toInstant())));
                plane.broker.kill();
                int heartbeats = plane.bridge
                        .matching(r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_HEARTBEAT))
                        .size();
                plane.broker.restart(); // without its state: the gateway subscribes again (no session present)
                assertTrue(
                        plane.bridge
                                        .await(
                                                r -> uid.equals(r.uid())
                                                        && r.type().equals(EventTypes.GATEWAY_HEARTBEAT),
                                                heartbeats + 1,
                                                Duration.ofSeconds(90))
                                        .size()
                                > heartbeats,
                        "reconnected with the renewed certificate");
                String cluster = "enrol-" + uid.substring(uid.length() - 8);
                try (var docker = DockerClients.connect()) {
                    try {
                        plane.bridge.command(
                                TENANT,
                                uid,
                                EventTypes.CREATE_NODE,
                                new NodeCommand("create-" + cluster, cluster, "n1", node(cluster, "n1")));
                        var done = plane.bridge.await(
                                r -> r.type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(90));
                        assertEquals(
                                CommandResult.Outcome.SUCCEEDED,
                                done.get(0).data(CommandResult.class).outcome());
                    } finally {
                        DockerClients.removeCluster(docker, cluster);
                    }
                }
                assertEquals(1, endpoint.count("/v1/enrollments"), "renewals only, no second enrolment");
            }
            String all = String.join("\n", logs.lines());
            assertFalse(all.contains(token), "the token is never logged");
            assertFalse(all.contains("PRIVATE KEY"), "the key is never logged");
        }
    }

    @Test
    void aGatewayAwayPastItsCertificatesExpiryEnrolsAgainAndARefusedTokenIsOneClearLine() throws Exception {
        String uid = "expired-gw-" + UUID.randomUUID().toString().substring(0, 8);
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                EnrolmentStandIn endpoint =
                        new EnrolmentStandIn(plane.pki, TENANT, plane.broker.deviceUrl(), Duration.ofSeconds(20));
                LogCapture logs = new LogCapture()) {
            String first = endpoint.issueToken(null, 1);
            Path tokenFile = writeToken(home.resolve("token"), first);
            GatewaySettings settings = settings(plane, endpoint, uid, tokenFile);
            X509Certificate certificate;
            try (EdgeGateway gateway = start(settings)) {
                plane.bridge.await(
                        r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                        1,
                        Duration.ofSeconds(60));
                certificate = gateway.identity().orElseThrow().certificate();
            }
            // away until the certificate expired
            assertTrue(GatewayHarness.eventually(
                    Duration.ofSeconds(60),
                    () -> Instant.now()
                            .isAfter(certificate.getNotAfter().toInstant().plusSeconds(1))));

            try (EdgeGateway gateway = start(settings)) {
                // the token it has is used up: refused, said once, clearly; the gateway lives on and keeps trying
                assertTrue(GatewayHarness.eventually(
                        Duration.ofSeconds(30),
                        () -> !logs.matching("refused by").isEmpty()));
                // several attempts at the 2 s retry delay, each refused the same way
                assertTrue(
                        GatewayHarness.eventually(Duration.ofSeconds(30), () -> endpoint.count("/v1/enrollments") >= 3),
                        "retried: " + endpoint.count("/v1/enrollments"));
                List<String> refusals = logs.matching("refused by");
                assertEquals(1, refusals.size(), "one line for the same refusal: " + refusals);
                assertTrue(
                        refusals.get(0).startsWith("ERROR")
                                && refusals.get(0).contains("(401: the registration token is used up)")
                                && refusals.get(0).contains("issue a new one and write it to " + tokenFile),
                        refusals.get(0));
                assertFalse(gateway.connected());

                // a token for any uid is not enough for a uid enrolled before (409): another clear line
                writeToken(tokenFile, endpoint.issueToken(null, 1));
                assertTrue(GatewayHarness.eventually(
                        Duration.ofSeconds(30),
                        () -> logs.matching("refused by").size() == 2));
                assertTrue(
                        logs.matching("refused by").get(1).contains("409")
                                && logs.matching("refused by")
                                        .get(1)
                                        .contains("needs a registration token issued for this uid"),
                        logs.matching("refused by").get(1));

                // the operator writes a token issued for this uid: re-enrolment, a clean session, commands flow again
                String fresh = endpoint.issueToken(uid, 1);
                writeToken(tokenFile, fresh);
                assertEquals(
                        2,
                        plane.bridge
                                .await(
                                        r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                        2,
                                        Duration.ofSeconds(60))
                                .size(),
                        "enrolled again and registered");
                DeviceIdentity again = gateway.identity().orElseThrow();
                assertNotEquals(certificate, again.certificate());
                assertFalse(again.expired(Instant.now()));
                assertNotNull(
                        logs.matching("new session (first connection of this enrolment)").stream()
                                .filter(l -> l.contains(again.serial()))
                                .findFirst()
                                .orElse(null),
                        "a re-enrolment starts a clean session");
                String all = String.join("\n", logs.lines());
                assertFalse(all.contains(first) || all.contains(fresh), "no token in the log");
            }
        }
    }
}
