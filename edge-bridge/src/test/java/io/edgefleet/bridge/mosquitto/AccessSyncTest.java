package io.edgefleet.bridge.mosquitto;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.bridge.support.ApplianceServiceCrlEndpoint;
import io.edgefleet.bridge.support.EdgeLinkTestResource;
import io.edgefleet.bridge.support.TestDevice;
import io.edgefleet.bridge.support.TestEvents;
import io.edgefleet.bridge.support.TestInfrastructure;
import io.edgefleet.bridge.support.TestKafka;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.MqttCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.MosquittoBroker;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;

import static io.edgefleet.bridge.support.TestDevice.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access sync against a real Mosquitto: appliance-events cut identities off (deny entry, CRL, SIGHUP, session
 * take-over) and let them back in after re-enrolment. appliance-service's CRL endpoint is played by
 * {@link ApplianceServiceCrlEndpoint}.
 */
@QuarkusTest
@TestInfrastructure
class AccessSyncTest {

    @Inject
    MqttConnection mqtt;

    @Test
    void aRevokedDeviceIsCutOffWithinSecondsAndLetBackInAfterReEnrolment() throws Exception {
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        String identity = EdgeTopics.identity(tenant, uid);
        TestDevice device = TestDevice.enrolled(tenant, uid).online();
        assertWorks(device);

        // appliance-service revokes the certificate (it is in the CRL it serves from now on) and publishes the event
        EdgeLinkTestResource.crlEndpoint().revoke(device.certificate());
        TestKafka.send(
                Topics.APPLIANCE_EVENTS,
                uid,
                TestEvents.appliance(
                        tenant, uid, EventTypes.APPLIANCE_CREDENTIALS_REVOKED, EdgeIdentity.Status.REVOKED));
        long t0 = System.nanoTime();

        await().atMost(Duration.ofSeconds(15)).until(() -> !device.connected());
        System.out.printf(
                "[access-sync] live session of %s ended %d ms after the event%n",
                identity, (System.nanoTime() - t0) / 1_000_000);
        assertTrue(Files.readString(broker.deviceAclFile()).contains("user " + identity + "\ntopic deny #\n"));
        assertTrue(installedCrl().isRevoked(device.certificate().certificate()), "the CRL Mosquitto uses lists it");
        assertThrows(Exception.class, () -> device.connect(false), "a revoked certificate is refused at the handshake");
        assertTrue(mqtt.ready(), "the bridge's own connection is untouched");

        // re-enrolment: a new certificate, an ENROLLED snapshot
        EdgePki.Issued renewed = EdgeLinkTestResource.pki().device(tenant, uid);
        TestKafka.send(
                Topics.APPLIANCE_EVENTS,
                uid,
                TestEvents.appliance(tenant, uid, EventTypes.APPLIANCE_ENROLLED, EdgeIdentity.Status.ENROLLED));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !Files.readString(broker.deviceAclFile()).contains("user " + identity + "\n"));
        Thread.sleep(500); // the reload is asynchronous in Mosquitto
        try (TestDevice again = new TestDevice(broker, tenant, uid, renewed)) {
            again.connect(true); // the first connection after an enrolment starts clean
            again.subscribe(EdgeTopics.commands(tenant, uid));
            assertWorks(again);
        }
    }

    /**
     * The deny entry alone (its certificate not in the CRL, e.g. while appliance-service is unreachable): the device
     * is disconnected, and when it comes back, the broker refuses its reports and delivers it no commands.
     */
    @Test
    void aDeletedApplianceCanNeitherPublishNorReceiveEvenBeforeTheCrlListsIt() throws Exception {
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        String tenant = TestEvents.name("tenant");
        String uid = TestEvents.name("gw");
        try (TestDevice device = TestDevice.enrolled(tenant, uid).online();
                TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            assertWorks(device);
            TestKafka.send(
                    Topics.APPLIANCE_EVENTS,
                    uid,
                    TestEvents.appliance(tenant, uid, EventTypes.APPLIANCE_DELETED, EdgeIdentity.Status.ENROLLED));
            await().atMost(Duration.ofSeconds(15)).until(() -> !device.connected());

            device.connect(false); // the TLS handshake still passes: only the ACL stands in its way
            device.subscribe(EdgeTopics.commands(tenant, uid));
            CloudEvent report = TestEvents.progress(tenant, uid);
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, device.report(report));
            TestKafka.send(
                    Topics.GATEWAY_COMMANDS,
                    uid,
                    TestEvents.command(tenant, uid, Instant.now().plusSeconds(600)));
            assertNull(device.next(seconds(5)), "no command reaches a cut-off identity");
            assertTrue(reports.settle(r -> r.event().id().equals(report.id()), Duration.ofSeconds(1))
                    .isEmpty());
            assertTrue(Files.readString(broker.deviceAclFile())
                    .contains("user " + EdgeTopics.identity(tenant, uid) + "\n"));
        }
    }

    @Test
    void aCrlSignedBySomebodyElseIsNotInstalled() throws Exception {
        MosquittoBroker broker = EdgeLinkTestResource.broker();
        ApplianceServiceCrlEndpoint endpoint = EdgeLinkTestResource.crlEndpoint();
        await().atMost(Duration.ofSeconds(15)).until(() -> installedCrlNumber() == endpoint.number());
        byte[] installed = Files.readAllBytes(broker.crlFile());
        try {
            endpoint.serveForgedCrl();
            int requests = endpoint.requests();
            // a revocation makes the bridge fetch at once, and the periodic refresh (2 s in tests) again
            String uid = TestEvents.name("gw");
            TestKafka.send(
                    Topics.APPLIANCE_EVENTS,
                    uid,
                    TestEvents.appliance(
                            "tenant-x", uid, EventTypes.APPLIANCE_CREDENTIALS_REVOKED, EdgeIdentity.Status.REVOKED));
            await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.requests() >= requests + 3);
            assertArrayEquals(installed, Files.readAllBytes(broker.crlFile()), "the forged CRL was not installed");
            try (TestDevice device = TestDevice.enrolled(TestEvents.name("tenant"), TestEvents.name("gw"))
                    .online()) {
                assertWorks(device); // devices are not locked out
            }
        } finally {
            endpoint.publish();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> installedCrlNumber() == endpoint.number());
    }

    /** A command reaches the device and its report reaches Kafka. */
    private static void assertWorks(TestDevice device) throws Exception {
        CloudEvent command =
                TestEvents.command(device.tenant, device.uid, Instant.now().plusSeconds(600));
        TestKafka.send(Topics.GATEWAY_COMMANDS, device.uid, command);
        Mqtt5Publish got = device.next(seconds(30));
        assertNotNull(got, "command delivered to " + device.uid);
        assertEquals(command.id(), TestDevice.userProperties(got).get(MqttCloudEvents.ID));
        CloudEvent report = TestEvents.progress(device.tenant, device.uid);
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, device.report(report));
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            assertEquals(
                    1,
                    reports.await(r -> r.event().id().equals(report.id()), 1, Duration.ofSeconds(30))
                            .size());
        }
    }

    private static X509CRL installedCrl() throws Exception {
        try (var in = Files.newInputStream(EdgeLinkTestResource.broker().crlFile())) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }

    private static long installedCrlNumber() throws Exception {
        byte[] extension = installedCrl().getExtensionValue("2.5.29.20");
        return extension == null ? -1 : Crl.integerInOctetString(extension).longValueExact();
    }
}
