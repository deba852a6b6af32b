package io.edgefleet.gateway.it;

import com.github.dockerjava.api.DockerClient;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.gateway.state.LocalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.gateway.it.GatewayHarness.TENANT;
import static io.edgefleet.gateway.it.GatewayHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policy commands (as policy-service sends them, through the bridge) over the real broker: run once, answered with their
 * output; a repeat gets the recorded result and runs nothing; a payload that does not fit fails clearly;
 * a task left running by a gateway that died runs again when it starts.
 */
class PolicyCommandsTest {

    private static final String POLICY_SERVICE = "/edgefleet/policy-service";

    @TempDir
    Path home;

    @Test
    void aTaskRunsOnceARepeatGetsTheRecordedResultAndAnUnfinishedOneResumes() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String uid = "policy-gw-" + suffix;
        String cluster = "policy-" + suffix;
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"));
                DockerClient docker = DockerClients.connect()) {
            GatewaySettings settings =
                    plane.gateway(uid, home.resolve("state")).withHeartbeatInterval(Duration.ofSeconds(5));
            try {
                runOnceAndRepeat(settings, plane.bridge, suffix, cluster);
                resumeAfterACrash(settings, plane.bridge, docker, suffix, cluster);
            } finally {
                DockerClients.removeCluster(docker, cluster);
            }
        }
    }

    private static void runOnceAndRepeat(GatewaySettings settings, TestBridge reports, String suffix, String cluster)
            throws Exception {
        String uid = settings.uid();
        try (var gateway = new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                .start()) {
            reports.await(
                    r -> uid.equals(r.uid()) && r.type().equals(EventTypes.GATEWAY_REGISTERED),
                    1,
                    Duration.ofSeconds(60));
            reports.command(
                    TENANT,
                    uid,
                    EventTypes.CREATE_NODE,
                    new NodeCommand("create-" + suffix, cluster, "n1", node(cluster, "n1")));
            completed(reports, "create-" + suffix, 1);

            String scanId = "scan-" + suffix;
            NodeTask scan = new NodeTask(
                    scanId,
                    cluster,
                    "n1",
                    new NodeTask.Scan(NodeTask.ScanKind.CONFIGURATION_SECURITY, List.of()),
                    null,
                    null,
                    null);
            send(reports, uid, EventTypes.SCAN_NODE, scan);
            CommandResult first = completed(reports, scanId, 1).get(0);
            assertEquals(CommandResult.Outcome.SUCCEEDED, first.outcome(), first::toString);
            assertEquals(EventTypes.SCAN_NODE, first.commandType());
            assertNotNull(first.output());
            // the harness's bootstrap file has none of the required settings: the scan ran and says so
            assertTrue(
                    first.output().findings().stream()
                            .anyMatch(f ->
                                    f.checkId().equals("EF-CS-6.1") && f.status() == TaskOutput.FindingStatus.FAIL),
                    () -> first.output().findings().toString());

            send(reports, uid, EventTypes.SCAN_NODE, scan);
            List<CommandResult> both = completed(reports, scanId, 2);
            assertEquals(first, both.get(1), "the repeat is answered with the recorded result, output included");
            long started = reports.settle(
                            r -> r.type().equals(EventTypes.COMMAND_PROGRESS)
                                    && scanId.equals(
                                            r.data(CommandProgress.class).commandId())
                                    && "started"
                                            .equals(r.data(CommandProgress.class)
                                                    .step()),
                            Duration.ofSeconds(2))
                    .size();
            assertEquals(1, started, "executed once");

            // a backup command without its backup part fails with the reason
            String badId = "bad-" + suffix;
            send(reports, uid, EventTypes.BACKUP_NODE, new NodeTask(badId, cluster, "n1", null, null, null, null));
            CommandResult bad = completed(reports, badId, 1).get(0);
            assertEquals(CommandResult.Outcome.FAILED, bad.outcome());
            assertEquals("a backup command needs exactly its 'backup' part (found 0 parts set)", bad.message());
        }
    }

    /** A task that was running when the gateway died runs again when it starts. */
    private void resumeAfterACrash(
            GatewaySettings settings, TestBridge reports, DockerClient docker, String suffix, String cluster)
            throws Exception {
        String resumedId = "resumed-" + suffix;
        NodeTask patch = new NodeTask(
                resumedId,
                cluster,
                "n1",
                null,
                null,
                null,
                new NodeTask.Patch("echo resumed | tee -a /tmp/patch.log", false, 0));
        try (LocalStore store = new LocalStore(home.resolve("state"))) {
            store.recordCommand(
                    resumedId, EventTypes.PATCH_NODE, new String(EventJson.write(patch), StandardCharsets.UTF_8));
            store.markRunning(resumedId);
        }
        try (var gateway = new EdgeGateway(
                        settings,
                        InventoryProbe.ofThisMachine(),
                        new DockerNodeDriver(GatewayHarness.DOCKER_HOST, TENANT))
                .start()) {
            CommandResult resumed = completed(reports, resumedId, 1).get(0);
            assertEquals(CommandResult.Outcome.SUCCEEDED, resumed.outcome(), resumed::toString);
            assertEquals("resumed\n", resumed.output().patch().output());
            String node = DockerClients.nodesOf(docker, cluster).get(0).getId();
            assertEquals("resumed\n", DockerClients.exec(docker, node, "cat", "/tmp/patch.log"));
        }
    }

    private static List<CommandResult> completed(TestBridge reports, String commandId, int count) {
        return reports
                .await(
                        r -> r.type().equals(EventTypes.COMMAND_COMPLETED)
                                && commandId.equals(r.data(CommandResult.class).commandId()),
                        count,
                        Duration.ofSeconds(60))
                .stream()
                .map(r -> r.data(CommandResult.class))
                .toList();
    }

    private static void send(TestBridge bridge, String uid, String type, NodeTask task) {
        bridge.command(TENANT, uid, type, POLICY_SERVICE, task, TestBridge.COMMAND_TTL);
    }
}
