package io.edgefleet.gateway.it;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.GatewaySettings;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.NodeDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtualized appliance: the gateway picks the libvirt driver from its configuration, reports the
 * host's libvirt networks and storage pools, and creates a domain on command (libvirt's test driver,
 * with the networks and pools of src/test/resources/libvirt/testnode.xml).
 */
class VirtualizedGatewayTest {

    @TempDir
    Path home;

    @Test
    void aVirtualizedGatewayReportsLibvirtInventoryAndCreatesDomains() throws Exception {
        String libvirtUri = "test://"
                + Path.of(getClass().getResource("/libvirt/testnode.xml").toURI())
                        .toAbsolutePath();
        try (ManagementPlane plane = ManagementPlane.start(home.resolve("plane"))) {
            GatewayConfig config = new GatewayConfig(
                    "virt-gw",
                    "https://localhost:1",
                    home.resolve("token"),
                    "127.0.0.1",
                    true,
                    "ubuntu",
                    null,
                    null,
                    libvirtUri,
                    "online",
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    null,
                    home.resolve("state"),
                    1,
                    GatewayConfig.DEFAULT_DOCKER_HOST,
                    GatewayConfig.DEFAULT_NODE_IMAGE,
                    null);
            GatewaySettings settings = plane.gateway("virt-gw", config.stateDir())
                    .withNodeSettings("127.0.0.1", true, "online", null, null);
            TestBridge reports = plane.bridge;
            try (var gateway = new EdgeGateway(
                            settings,
                            InventoryProbe.ofThisMachine(),
                            NodeDrivers.forConfig(config, GatewayHarness.TENANT, null, null, null))
                    .start()) {
                var registration =
                        reports.await(r -> r.type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                GatewayReport report = registration.get(0).data(GatewayReport.class);
                assertEquals(ApplianceKind.BARE_METAL_LIBVIRT, report.kind());
                Inventory.Libvirt libvirt = report.inventory().libvirt();
                assertTrue(libvirt.networks().stream().anyMatch(n -> n.name().equals("mgmt")), libvirt.toString());
                assertTrue(
                        libvirt.storagePools().stream()
                                .anyMatch(p -> p.name().equals("images") && p.capacityBytes() > 0),
                        libvirt.toString());

                NodeSpec spec = new NodeSpec(
                        "virt-1",
                        "masters",
                        "m0",
                        NodeRole.MASTER,
                        "m0",
                        new NodeSpec.Resources(2, 2048, 12, null),
                        "debian-12-base.qcow2",
                        new NodeSpec.VirtualPlacement("network", "mgmt", "images", "vms", "data", 10),
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of());
                reports.command(
                        GatewayHarness.TENANT,
                        "virt-gw",
                        EventTypes.CREATE_NODE,
                        new NodeCommand("create-virt-1-m0", "virt-1", "m0", spec));
                var results =
                        reports.await(r -> r.type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(60));
                CommandResult result = results.get(0).data(CommandResult.class);
                assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome(), result.message());
                assertEquals(NodeState.RUNNING, result.node().state());
                assertTrue(result.node().ref() != null, "the domain's UUID");
            }
        }
    }
}
