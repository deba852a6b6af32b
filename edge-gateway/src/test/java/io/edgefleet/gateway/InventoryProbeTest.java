package io.edgefleet.gateway;

import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.gateway.inventory.InventoryProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InventoryProbeTest {

    @TempDir
    Path root;

    private void write(String file, String content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    @Test
    void readsTheMachineFromProcSysAndEtc() throws IOException {
        write("etc/hostname", "store-42\n");
        write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        write(
                "proc/cpuinfo",
                "processor\t: 0\nflags\t: fpu vme hypervisor\n\nprocessor\t: 1\nflags\t: fpu vme hypervisor\n");
        write("proc/meminfo", "MemTotal:        8048576 kB\nMemFree: 1 kB\n");
        write("sys/block/vda/size", "41943040\n");
        write("sys/block/loop0/size", "100\n");
        write("sys/block/dm-0/size", "100\n");

        InventoryProbe probe = new InventoryProbe(root, root.resolve("no-docker.sock"));
        Inventory inventory = probe.probe("10.1.2.3", null);

        assertEquals("store-42", inventory.hostname());
        assertEquals("10.1.2.3", inventory.ip());
        assertEquals(2, inventory.cpus());
        assertEquals(8048576L * 1024, inventory.memoryBytes());
        assertEquals(List.of(new Inventory.Disk("vda", 41943040L * 512)), inventory.disks());
        assertFalse(inventory.docker().present());
        assertEquals("0123456789abcdef0123456789abcdef", probe.machineId());
        assertEquals(ApplianceKind.VM, probe.kind(false));
        assertEquals(ApplianceKind.BARE_METAL_LIBVIRT, probe.kind(true));
    }

    @Test
    void bareMetalWhenNoHypervisorFlag() throws IOException {
        write("proc/cpuinfo", "processor\t: 0\nflags\t: fpu vme sse\n");
        assertEquals(ApplianceKind.BARE_METAL, new InventoryProbe(root, root.resolve("x")).kind(false));
    }
}
