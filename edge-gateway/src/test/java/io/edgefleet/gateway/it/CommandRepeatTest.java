package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The services send a command again when they heard nothing for a while (docs/edge-link.md, "At-least-once across a
 * broker crash"): a repeat of a command that is running is answered with progress ("running"), one that waits behind
 * it with "queued"; neither runs twice.
 */
class CommandRepeatTest {

    private static final String POLICY_SERVICE = "/edgefleet/policy-service";

    @TempDir
    Path home;

    @Test
    void aRepeatOfARunningOrQueuedCommandIsAnsweredWithProgressAndRunsOnce() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "repeat-gw-" + suffix;
        String cluster = "repeat-" + suffix;
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect();
                var gateway = new EdgeGateway(
                                plane.gateway(uid, home.resolve("state")),
                                InventoryProbe.ofThisMachine(),
                                new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                        .start()) {
            TestBridge bridge = plane.bridge;
            try {
                bridge.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                bridge.command(
                        TENANT,
                        uid,
                        EventTypes.CREATE_NODE,
                        new NodeCommand("create-" + suffix, cluster, "n1", node(cluster, "n1")));
                completed(bridge, "create-" + suffix, 1);

                // a patch that runs until the test lets it end, and a scan queued behind it
                NodeTask patch = new NodeTask(
                        "patch-" + suffix,
                        cluster,
                        "n1",
                        null,
                        null,
                        null,
                        new NodeTask.Patch(
                                "while [ ! -e /tmp/release ]; do sleep 0.2; done; echo patched | tee -a /tmp/patch.log",
                                false,
                                300));
                NodeTask scan = new NodeTask(
                        "scan-" + suffix,
                        cluster,
                        "n1",
                        new NodeTask.Scan(NodeTask.ScanKind.CONFIGURATION_SECURITY, List.of()),
                        null,
                        null,
                        null);
                send(bridge, uid, EventTypes.PATCH_NODE, patch);
                progress(bridge, patch.commandId(), "started");
                send(bridge, uid, EventTypes.SCAN_NODE, scan);
                progress(bridge, scan.commandId(), "accepted");

                send(bridge, uid, EventTypes.PATCH_NODE, patch);
                send(bridge, uid, EventTypes.SCAN_NODE, scan);
                CommandProgress running = progress(bridge, patch.commandId(), "running");
                assertEquals("still running on the gateway", running.message());
                CommandProgress queued = progress(bridge, scan.commandId(), "queued");
                assertEquals("still queued on the gateway", queued.message());
                String node = DockerClients.nodesOf(docker, cluster).get(0).getId();
                DockerClients.exec(docker, node, "touch", "/tmp/release");

                assertEquals(
                        CommandResult.Outcome.SUCCEEDED,
                        completed(bridge, patch.commandId(), 1).get(0).outcome());
                assertEquals(
                        CommandResult.Outcome.SUCCEEDED,
                        completed(bridge, scan.commandId(), 1).get(0).outcome());
                bridge.settle(r -> true, Duration.ofSeconds(2));
                assertEquals(
                        1,
                        bridge.matching(r -> isStep(r, patch.commandId(), "started"))
                                .size(),
                        "the patch started once");
                assertEquals(1, completedCount(bridge, patch.commandId()), "and ended once");
                assertEquals("patched\n", DockerClients.exec(docker, node, "cat", "/tmp/patch.log"), "it ran once");
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    private static void send(TestBridge bridge, String uid, String type, NodeTask task) {
        bridge.command(TENANT, uid, type, POLICY_SERVICE, task, TestBridge.COMMAND_TTL);
    }

    private static boolean isStep(TestBridge.Received r, String commandId, String step) {
        return r.type().equals(EventTypes.COMMAND_PROGRESS)
                && commandId.equals(r.data(CommandProgress.class).commandId())
                && step.equals(r.data(CommandProgress.class).step());
    }

    private static CommandProgress progress(TestBridge bridge, String commandId, String step) {
        var found = bridge.await(r -> isStep(r, commandId, step), 1, Duration.ofSeconds(60));
        assertEquals(1, found.size(), commandId + " reported " + step);
        return found.get(0).data(CommandProgress.class);
    }

    private static long completedCount(TestBridge bridge, String commandId) {
        return bridge.matching(r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                        && commandId.equals(r.data(CommandResult.class).commandId()))
                .size();
    }

    private static List<CommandResult> completed(TestBridge bridge, String commandId, int count) {
        return bridge
                .await(
                        r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && commandId.equals(r.data(CommandResult.class).commandId()),
                        count,
                        Duration.ofSeconds(60))
                .stream()
                .map(r -> r.data(CommandResult.class))
                .toList();
    }
}
