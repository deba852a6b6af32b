package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.Inventory;
import io.edgefleet.gateway.EdgeGatewayMain;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway installed on the libvirt host with {@code --libvirt-uri qemu:///system} reaches the real libvirtd on its
 * socket, with no SSH at all: the installer's configuration, as {@code run} turns it into a node driver
 * ({@link NodeDrivers}), lists the host's networks and pools (with the pool pre-flight's verdict, which goes through
 * the same connection) and its nodes. No guest is booted.
 */
class QemuSystemGatewayTest {

    static final String TOKEN = "eft_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0_-x";

    @Test
    void theInstalledGatewayConnectsToLibvirtWithQemuSystem(@TempDir Path dir) throws Exception {
        try (RealLibvirtHost host = RealLibvirtHost.open("qs")) {
            int code = EdgeGatewayMain.execute(
                    "install",
                    "--target",
                    dir.toString(),
                    "--no-start",
                    "--",
                    "-i",
                    "127.0.0.1",
                    "-d",
                    "qemu-system-1",
                    "-a",
                    "edge.example.com",
                    "--registration-token",
                    TOKEN,
                    "-v",
                    "true",
                    "--libvirt-uri",
                    "qemu:///system");
            assertEquals(0, code, "the installer accepts qemu:///system on this machine (see its stderr)");
            Path file = dir.resolve("edgefleet-gateway/gateway.properties");
            GatewayConfig config = GatewayConfig.load(file);
            assertEquals(LibvirtUri.LOCAL_SYSTEM, config.libvirtUri());

            try (NodeDriver driver = NodeDrivers.forConfig(
                    config, "tenant-qs-" + host.suffix, "qemu", GatewayConfig.sshKnownHosts(file), null)) {
                LibvirtNodeDriver libvirt = assertInstanceOf(LibvirtNodeDriver.class, driver);
                Inventory.Libvirt inventory = libvirt.libvirtInventory();
                assertTrue(
                        inventory.networks().stream().anyMatch(n -> n.name().equals(host.networkName) && n.active()),
                        "the test's network is seen: " + inventory.networks());
                Inventory.StoragePool vms = inventory.storagePools().stream()
                        .filter(p -> p.name().equals(host.vmsPool))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("pool " + host.vmsPool + " not in " + inventory));
                assertTrue(vms.capacityBytes() > 0, vms.toString());
                assertNull(vms.unusable(), "QEMU's user can reach the pool: " + vms.unusable());
                assertEquals(0, driver.list().size(), "no node of this tenant yet");
            }
            assertFalse(
                    Files.exists(config.stateDir().resolve("libvirt-ssh")),
                    "no ssh wrapper is written: libvirt is not reached over SSH");
        }
    }
}
