package io.edgefleet.appliance;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.fleetsim.Enroller;
import io.edgefleet.fleetsim.Fleet;
import io.edgefleet.fleetsim.FleetSettings;
import io.edgefleet.fleetsim.FleetSimMain;
import io.edgefleet.fleetsim.IdentityCache;
import io.edgefleet.fleetsim.SimIdentity;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.TestPublisher;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.edgefleet.appliance.PairingTest.awaitStatus;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet simulator (fleet-sim, issue 14) against this service and the real edge link: 20 simulated appliances enrol
 * through the HTTPS enrolment API with one registration token (each its own key and certificate), connect over MQTT/TLS
 * to Mosquitto on shared event loops, and pair (READY) through the bridge and Kafka; a node command sent on
 * {@code gateway-commands} gets its simulated result back on {@code gateway-reports}; a rerun takes the identities from
 * the cache instead of enrolling again; dropped connections come back; stopping the fleet announces every appliance
 * (DISCONNECT 0x04: its link-lost will follows after the will delay).
 */
@QuarkusTest
@TestInfrastructure
class FleetSimEndToEndTest {

    private static final int APPLIANCES = 20;

    @Test
    void simulatedAppliancesEnrolPairAndAnswerCommands() throws Exception {
        String token = RegistrationTokenApiTest.create(TENANT_A, """
                        {"maxUses": 100}""").secret();
        Path work = Path.of(
                        "target", "fleet-sim-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        List<String> uids = FleetSimMain.uids("fsim", 1, APPLIANCES);
        TrustManagerFactory trust = TlsMaterial.trustManagers(
                EdgeLinkTestResource.pki().platformCa().certFile());
        URI endpoint = URI.create(EdgeClient.httpsBase());

        Map<String, SimIdentity> identities;
        try (IdentityCache cache = new IdentityCache(work.resolve("identities.tsv"))) {
            identities = cache.load();
            Enroller.Outcome enrolled =
                    new Enroller(endpoint, trust, List.of(token), 4, cache).enrolMissing(uids, identities);
            assertEquals(APPLIANCES, enrolled.enrolled());
            assertEquals(0, enrolled.failed());
        }
        try (IdentityCache cache = new IdentityCache(work.resolve("identities.tsv"))) {
            Map<String, SimIdentity> again = cache.load();
            assertEquals(APPLIANCES, again.size());
            Enroller.Outcome rerun = new Enroller(endpoint, trust, List.of(token), 4, cache).enrolMissing(uids, again);
            assertEquals(0, rerun.enrolled(), "a rerun enrols nobody: the identities come from the cache");
        }

        FleetSettings settings = new FleetSettings(
                trust,
                null,
                Duration.ofSeconds(1),
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                8,
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")),
                1);
        try (Fleet fleet = new Fleet(settings, identities.values())) {
            fleet.connectAll();
            assertTrue(
                    fleet.awaitConnected(APPLIANCES, 30_000),
                    "connected: " + fleet.stats().snapshot());
            for (String uid : uids) {
                awaitStatus(TENANT_A, uid, ApplianceStatus.READY, Duration.ofSeconds(30));
            }

            String uid = uids.get(3);
            String commandId = "fsim-" + UUID.randomUUID();
            CloudEvent command = new CloudEvent(
                            UUID.randomUUID().toString(),
                            "/edgefleet/cluster-service",
                            EventTypes.START_NODE,
                            uid,
                            TENANT_A,
                            Instant.now(),
                            EventJson.write(new NodeCommand(commandId, "cfsim0001", "node-1", null)))
                    .withExpiresAt(Instant.now().plusSeconds(120));
            try (TestPublisher publisher = new TestPublisher();
                    TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
                publisher.send(KafkaCloudEvents.toRecord(Topics.GATEWAY_COMMANDS, uid, command));
                var results = reports.await(
                        r -> EventTypes.COMMAND_COMPLETED.equals(r.event().type())
                                && commandId.equals(
                                        r.event().dataAs(CommandResult.class).commandId()),
                        1,
                        Duration.ofSeconds(30));
                assertEquals(1, results.size(), "the simulated result of " + commandId);
                assertEquals(uid, results.get(0).key());
                CommandResult result = results.get(0).event().dataAs(CommandResult.class);
                assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome());
                assertEquals(NodeState.RUNNING, result.node().state());
            }

            assertEquals(APPLIANCES, fleet.drop(1.0));
            assertEquals(0, fleet.stats().connected.get());
            assertEquals(APPLIANCES, fleet.restore());
            assertTrue(
                    fleet.awaitConnected(APPLIANCES, 30_000),
                    "reconnected: " + fleet.stats().snapshot());
            assertEquals(0, fleet.stats().reportsRefused.sum());
            assertTrue(
                    fleet.stats().reportsAcked.sum() >= APPLIANCES,
                    "reports: " + fleet.stats().snapshot());
        }
        // stopped as gateways stop (DISCONNECT 0x04): the broker publishes each one's will after the will delay (30 s)
        try (TopicReader reports = new TopicReader(Topics.GATEWAY_REPORTS)) {
            var wills = reports.await(
                    r -> EventTypes.GATEWAY_LINK_LOST.equals(r.event().type())
                            && uids.contains(r.event().subject()),
                    APPLIANCES,
                    MqttLink.DEFAULT_WILL_DELAY.plusSeconds(30));
            assertEquals(
                    Set.copyOf(uids),
                    wills.stream().map(r -> r.event().subject()).collect(Collectors.toSet()),
                    "every stopped appliance announced");
        }
    }
}
