package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EdgeTopics;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.testsupport.EdgePki;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker refuses the gateway's reports (its identity gets a {@code topic deny #} entry in the device ACL, as the
 * bridge's access sync writes for a cut-off appliance): the refused report stays in the local outbox, first in line,
 * and is offered again until the broker takes it — then it and everything after it arrive, in order.
 */
class RefusedReportTest {

    @TempDir
    Path home;

    @Test
    void aReportTheBrokerRefusesStaysInTheOutboxUntilItIsTaken() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "refused-gw-" + suffix;
        String cluster = "refused-" + suffix;
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect();
                var gateway = new EdgeGateway(
                                plane.gateway(uid, home.resolve("state")),
                                InventoryProbe.ofThisMachine(),
                                new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                        .start()) {
            TestBridge bridge = plane.bridge;
            MosquittoBroker broker = plane.broker;
            try {
                bridge.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                bridge.command(
                        TENANT,
                        uid,
                        EventTypes.CREATE_NODE,
                        new NodeCommand("create-" + suffix, cluster, "n1", node(cluster, "n1")));
                String container = bridge.await(
                                r -> r.type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(60))
                        .get(0)
                        .data(CommandResult.class)
                        .node()
                        .ref();

                Files.writeString(
                        broker.deviceAclFile(), MosquittoBroker.deviceAcl(List.of(EdgeTopics.identity(TENANT, uid))));
                broker.reload();
                assertTrue(
                        GatewayHarness.eventually(
                                Duration.ofSeconds(30),
                                () -> String.valueOf(gateway.reportFailure()).contains("NOT_AUTHORIZED")),
                        "the gateway saw the refusal: " + gateway.reportFailure());
                // a report that is not a heartbeat (heartbeats replace each other): the node stops
                docker.stopContainerCmd(container).withTimeout(5).exec();
                assertTrue(
                        GatewayHarness.eventually(Duration.ofSeconds(30), () -> gateway.pendingReports() > 0),
                        "the refused reports wait in the outbox");
                // refused again and again meanwhile: still waiting, and none of them reaches the bridge
                Eventually.stays(
                        "the refused reports wait in the outbox and nothing gets through",
                        Duration.ofSeconds(5),
                        Duration.ofMillis(200),
                        () -> gateway.pendingReports() > 0
                                && bridge.matching(r -> isStopped(r)).isEmpty());

                Files.writeString(broker.deviceAclFile(), MosquittoBroker.deviceAcl(List.of()));
                broker.reload();
                assertFalse(
                        bridge.await(RefusedReportTest::isStopped, 1, Duration.ofSeconds(90))
                                .isEmpty(),
                        "the refused report arrived once the broker took it"); // Docker emits kill and die: one or two
                assertTrue(
                        GatewayHarness.eventually(Duration.ofSeconds(60), () -> gateway.reportFailure() == null),
                        "reports get through again");
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    @Test
    void aReportNobodyIsSubscribedToStaysInTheOutboxUntilTheBridgeIs() throws Exception {
        // the broker answers 0x10 "no matching subscribers" (a success code) while no bridge is subscribed, e.g. right
        // after a broker restart: the report was dropped, so it must stay and go out once the bridge is back
        String uid = "unheard-gw-" + UUID.randomUUID().toString().substring(0, 8);
        var pki = EdgePki.create(home.resolve("pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(pki, home.resolve("mosquitto"))) {
            var device = pki.device(TENANT, uid);
            var settings = GatewaySettings.issued(
                    uid,
                    device.certFile(),
                    device.keyFile(),
                    broker.deviceUrl(),
                    pki.platformCa().certFile(),
                    home.resolve("state"));
            try (var gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), null).start()) {
                assertTrue(
                        GatewayHarness.eventually(
                                Duration.ofSeconds(30),
                                () -> String.valueOf(gateway.reportFailure()).contains("no subscriber")),
                        "the gateway saw that nobody took its report: " + gateway.reportFailure());
                assertTrue(gateway.pendingReports() > 0, "the registration waits in the outbox");
                try (TestBridge bridge = new TestBridge(broker)) {
                    assertFalse(
                            bridge.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60))
                                    .isEmpty(),
                            "the registration arrived once the bridge subscribed");
                }
            }
        }
    }

    private static boolean isStopped(TestBridge.Received r) {
        return r.type().equals(EventTypes.NODE_OBSERVED)
                && "n1".equals(r.data(NodeStatus.class).nodeId())
                && r.data(NodeStatus.class).state() != NodeState.RUNNING;
    }
}
