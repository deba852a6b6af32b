package io.edgefleet.gateway.it;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.Topics;
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
import io.edgefleet.testsupport.KafkaBroker;
import io.edgefleet.testsupport.TopicReader;
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
        String libvirtUri = "test://" + Path.of(getClass().getResource("/libvirt/testnode.xml").toURI()).toAbsolutePath();
        try (KafkaBroker broker = KafkaBroker.start()) {
            GatewayConfig config = new GatewayConfig("virt-gw", GatewayHarness.TENANT, broker.bootstrapServers(), "127.0.0.1", true,
                    "ubuntu", null, null, libvirtUri, "online", null, null, null, null, List.of(), null, null, null, null, null,
                    home.resolve("state"), 1, GatewayConfig.DEFAULT_DOCKER_HOST, GatewayConfig.DEFAULT_NODE_IMAGE);
            GatewaySettings settings = new GatewaySettings("virt-gw", GatewayHarness.TENANT, broker.bootstrapServers(), "127.0.0.1",
                    true, "online", null, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(5), config.stateDir());
            try (var gateway = new EdgeGateway(settings, InventoryProbe.ofThisMachine(), () -> "token-not-checked-by-the-broker",
                    NodeDrivers.forConfig(config)).start();
                 var commands = new GatewayHarness.Commands(broker.bootstrapServers(), "virt-gw");
                 var reports = new TopicReader(broker.bootstrapServers(), Topics.GATEWAY_REPORTS)) {
                var registration = reports.await(r -> r.event().type().equals(EventTypes.GATEWAY_REGISTERED), 1, Duration.ofSeconds(60));
                GatewayReport report = registration.get(0).event().dataAs(GatewayReport.class);
                assertEquals(ApplianceKind.BARE_METAL_LIBVIRT, report.kind());
                Inventory.Libvirt libvirt = report.inventory().libvirt();
                assertTrue(libvirt.networks().stream().anyMatch(n -> n.name().equals("mgmt")), libvirt.toString());
                assertTrue(libvirt.storagePools().stream().anyMatch(p -> p.name().equals("images") && p.capacityBytes() > 0), libvirt.toString());

                NodeSpec spec = new NodeSpec("virt-1", "masters", "m0", NodeRole.MASTER, "m0", new NodeSpec.Resources(2, 2048, 12, null),
                        "debian-12-base.qcow2", new NodeSpec.VirtualPlacement("network", "mgmt", "images", "vms", "data", 10),
                        List.of(), Map.of(), List.of(), Map.of());
                commands.send(EventTypes.CREATE_NODE, new NodeCommand("create-virt-1-m0", "virt-1", "m0", spec));
                var results = reports.await(r -> r.event().type().equals(EventTypes.COMMAND_COMPLETED), 1, Duration.ofSeconds(60));
                CommandResult result = results.get(0).event().dataAs(CommandResult.class);
                assertEquals(CommandResult.Outcome.SUCCEEDED, result.outcome(), result.message());
                assertEquals(NodeState.RUNNING, result.node().state());
                assertTrue(result.node().ref() != null, "the domain's UUID");
            }
        }
    }
}
