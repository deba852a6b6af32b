package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway's MQTT session (docs/edge-link.md): the first connection of an installation starts clean, later ones
 * resume it — commands queued while the gateway was away arrive, unless their message expired first — and a
 * command whose CloudEvent is addressed to another identity is ignored.
 */
class EdgeSessionTest {

    @TempDir
    static Path dir;

    static ManagementPlane plane;
    static DockerClient docker;
    static String cluster = "session-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        plane = ManagementPlane.start(dir.resolve("plane"));
        docker = DockerClients.connect();
    }

    @AfterAll
    static void stop() throws Exception {
        DockerClients.removeCluster(docker, cluster);
        docker.close();
        plane.close();
    }

    private static EdgeGateway gateway(GatewaySettings settings) {
        return new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                .start();
    }

    private static void awaitRegistrations(String uid, int count) {
        assertEquals(
                count,
                plane.bridge
                        .await(
                                r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                                count,
                                Duration.ofSeconds(60))
                        .size(),
                uid + " registered " + count + " time(s)");
    }

    private static void create(String uid, String commandId, String nodeId, Duration ttl) {
        plane.bridge.command(
                TENANT,
                uid,
                EventTypes.CREATE_NODE,
                TestBridge.CLUSTER_SERVICE,
                new NodeCommand(commandId, cluster, nodeId, node(cluster, nodeId)),
                ttl);
    }

    private static long reportsAbout(String commandId) {
        return plane.bridge
                .matching(r -> (r.type().equals(EventTypes.COMMAND_PROGRESS)
                                && commandId.equals(
                                        r.data(CommandProgress.class).commandId()))
                        || (r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && commandId.equals(r.data(CommandResult.class).commandId())))
                .size();
    }

    private static long nodes(String nodeId) {
        return DockerClients.nodesOf(docker, cluster).stream()
                .filter(c -> nodeId.equals(c.getLabels().get(NodeNames.NODE)))
                .count();
    }

    private static CommandResult completed(String commandId) {
        var done = plane.bridge.await(
                r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandId.equals(r.data(CommandResult.class).commandId()),
                1,
                Duration.ofSeconds(60));
        assertEquals(1, done.size(), commandId + " ran");
        return done.get(0).data(CommandResult.class);
    }

    @Test
    void aFreshInstallationDoesNotReceiveACommandQueuedForAnEarlierOne() {
        String uid = "fresh-gw-" + UUID.randomUUID().toString().substring(0, 8);
        try (EdgeGateway earlier = gateway(plane.gateway(uid, dir.resolve(uid + "-earlier")))) {
            awaitRegistrations(uid, 1);
        } // gone: its session (and subscription) stays with the broker for 7 days
        create(uid, "meant-for-the-earlier-" + uid, "earlier", TestBridge.COMMAND_TTL);

        // the machine is reinstalled: new state, new certificate, same identity
        try (EdgeGateway fresh = gateway(plane.gateway(uid, dir.resolve(uid + "-fresh")))) {
            awaitRegistrations(uid, 2);
            create(uid, "for-the-fresh-" + uid, "fresh", TestBridge.COMMAND_TTL);
            assertEquals(
                    CommandResult.Outcome.SUCCEEDED,
                    completed("for-the-fresh-" + uid).outcome());
            plane.bridge.settle(r -> true, Duration.ofSeconds(3));
            assertEquals(
                    0,
                    reportsAbout("meant-for-the-earlier-" + uid),
                    "the earlier installation's command never arrived");
            assertEquals(0, nodes("earlier"));
        }
    }

    @Test
    void commandsQueuedWhileTheGatewayIsOfflineRunAfterItReconnectsUnlessTheirMessageExpired() {
        String uid = "offline-gw-" + UUID.randomUUID().toString().substring(0, 8);
        GatewaySettings settings = plane.gateway(uid, dir.resolve(uid));
        try (EdgeGateway gateway = gateway(settings)) {
            awaitRegistrations(uid, 1);
        }
        create(uid, "expires-" + uid, "expired", Duration.ofSeconds(2));
        create(uid, "waits-" + uid, "waited", TestBridge.COMMAND_TTL);
        // deliberate: the broker expires messages without telling anyone, so there is nothing to poll for; the first
        // one's message (2 s) expires meanwhile, the second one waits in the session
        TestBridge.sleep(5_000);

        try (EdgeGateway gateway = gateway(settings)) { // the same installation: the session is resumed
            assertEquals(
                    CommandResult.Outcome.SUCCEEDED,
                    completed("waits-" + uid).outcome(),
                    "the queued command ran after the reconnect");
            plane.bridge.settle(r -> true, Duration.ofSeconds(3));
            assertEquals(0, reportsAbout("expires-" + uid), "the expired command was not run");
            assertEquals(0, nodes("expired"));
        }
    }

    @Test
    void reloadsOfTheBrokerWhileTheGatewayIsAwayLeaveItsSessionAndTheBrokerWhole() {
        // Mosquitto 2.0.11 "disconnects" every offline session again on a reload (SIGHUP, which the access sync sends
        // on
        // each revocation); a session with a finite expiry is then listed twice for expiry and the broker crashes once
        // the client comes back (segfault or a failed assertion). Sessions that never expire are not listed at all.
        String uid = "reload-gw-" + UUID.randomUUID().toString().substring(0, 8);
        GatewaySettings settings = plane.gateway(uid, dir.resolve(uid));
        for (int round = 0; round < 3; round++) {
            try (EdgeGateway gateway = gateway(settings)) {
                awaitRegistrations(uid, round + 1);
                if (round > 0) {
                    assertEquals(
                            CommandResult.Outcome.SUCCEEDED,
                            completed("queued-" + round + "-" + uid).outcome(),
                            "the command queued in the session before round " + round + " ran");
                }
            }
            create(uid, "queued-" + (round + 1) + "-" + uid, "queued-" + (round + 1), TestBridge.COMMAND_TTL);
            plane.broker.reload();
            String other = uid + "-other-" + round; // other clients come and go meanwhile, as in a fleet
            try (EdgeGateway gateway = gateway(plane.gateway(other, dir.resolve(other)))) {
                awaitRegistrations(other, 1);
            }
            plane.broker.reload();
            Eventually.stays(
                    "the broker survived reloads with the gateway away (round " + round + ")",
                    Duration.ofMillis(500),
                    Duration.ofMillis(50),
                    plane.broker::running);
        }
        plane.broker.stop(); // its shutdown walks the expiry list too
        int exitCode = plane.broker.exitCode();
        plane.broker.restart();
        assertEquals(0, exitCode, "the broker stopped cleanly");
    }

    @Test
    void aCommandForAnotherIdentityIsIgnored() {
        String uid = "addressed-gw-" + UUID.randomUUID().toString().substring(0, 8);
        try (EdgeGateway gateway = gateway(plane.gateway(uid, dir.resolve(uid)))) {
            awaitRegistrations(uid, 1);
            String topic = EdgeTopics.commands(TENANT, uid);
            for (String[] addressee : new String[][] {{TENANT, "someone-else"}, {"tenant-b", uid}}) {
                String commandId = "not-mine-" + addressee[0] + "-" + addressee[1];
                CloudEvent event = new CloudEvent(
                        UUID.randomUUID().toString(),
                        TestBridge.CLUSTER_SERVICE,
                        EventTypes.CREATE_NODE,
                        addressee[1],
                        addressee[0],
                        Instant.now(),
                        EventJson.write(new NodeCommand(commandId, cluster, "x", node(cluster, "x"))));
                plane.bridge.publish(topic, event, Duration.ofMinutes(5));
            }
            create(uid, "mine-" + uid, "mine", TestBridge.COMMAND_TTL);
            assertEquals(
                    CommandResult.Outcome.SUCCEEDED, completed("mine-" + uid).outcome());
            plane.bridge.settle(r -> true, Duration.ofSeconds(2));
            assertEquals(
                    0,
                    reportsAbout("not-mine-" + TENANT + "-someone-else") + reportsAbout("not-mine-tenant-b-" + uid),
                    "commands naming another subject or tenant were not run");
        }
    }
}
