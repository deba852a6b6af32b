package io.edgefleet.gateway.inventory;

import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.Inventory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Discovers what the gateway runs on, from /proc, /sys and /etc (under a root that tests can point
 * elsewhere) and the Docker socket.
 */
public final class InventoryProbe {

    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+)\\s+kB");
    private static final Pattern DOCKER_VERSION = Pattern.compile("\"Version\":\"([^\"]+)\"");

    private final Path root;
    private final Path dockerSocket;

    public InventoryProbe(Path root, Path dockerSocket) {
        this.root = root;
        this.dockerSocket = dockerSocket;
    }

    public static InventoryProbe ofThisMachine() {
        return new InventoryProbe(Path.of("/"), Path.of("/var/run/docker.sock"));
    }

    /** @param ip the address given to the installer, or null to pick the first non-loopback IPv4 address */
    public Inventory probe(String ip, Inventory.Libvirt libvirt) {
        return new Inventory(
                hostname(), ip != null ? ip : firstIpv4(), cpus(), memoryBytes(), disks(), libvirt, docker());
    }

    /** Bare metal with libvirt when the installer says so; otherwise a VM when the CPU reports a hypervisor. */
    public ApplianceKind kind(boolean isVirtual) {
        if (isVirtual) {
            return ApplianceKind.BARE_METAL_LIBVIRT;
        }
        String cpuinfo = read("proc/cpuinfo");
        boolean hypervisor = cpuinfo.lines().anyMatch(l -> l.startsWith("flags") && l.contains(" hypervisor"));
        return hypervisor ? ApplianceKind.VM : ApplianceKind.BARE_METAL;
    }

    /** The machine id: the default appliance uid. */
    public String machineId() {
        return read("etc/machine-id").trim();
    }

    String hostname() {
        String name = read("etc/hostname").trim();
        if (!name.isEmpty()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    int cpus() {
        long processors = read("proc/cpuinfo")
                .lines()
                .filter(l -> l.startsWith("processor"))
                .count();
        return processors > 0 ? (int) processors : Runtime.getRuntime().availableProcessors();
    }

    long memoryBytes() {
        Matcher m = MEM_TOTAL.matcher(read("proc/meminfo"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    }

    /** Whole block devices (no partitions, loop, ram or device-mapper devices) and their sizes. */
    List<Inventory.Disk> disks() {
        Path block = root.resolve("sys/block");
        if (!Files.isDirectory(block)) {
            return List.of();
        }
        List<Inventory.Disk> disks = new ArrayList<>();
        try (Stream<Path> devices = Files.list(block)) {
            devices.sorted().forEach(dev -> {
                String name = dev.getFileName().toString();
                if (name.startsWith("loop")
                        || name.startsWith("ram")
                        || name.startsWith("dm-")
                        || name.startsWith("zram")) {
                    return;
                }
                String sectors =
                        read(root.relativize(dev.resolve("size")).toString()).trim();
                if (!sectors.isEmpty()) {
                    disks.add(new Inventory.Disk(name, Long.parseLong(sectors) * 512));
                }
            });
        } catch (IOException | NumberFormatException e) {
            return disks;
        }
        return disks;
    }

    /** Whether a Docker engine answers on its socket, and its version. */
    Inventory.Docker docker() {
        if (!Files.exists(dockerSocket)) {
            return new Inventory.Docker(false, null);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(dockerSocket));
            channel.write(ByteBuffer.wrap(
                    "GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the whole (small) answer
            }
            String answer = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            Matcher version = DOCKER_VERSION.matcher(answer);
            return new Inventory.Docker(
                    answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"),
                    version.find() ? version.group(1) : null);
        } catch (IOException e) {
            return new Inventory.Docker(false, null);
        }
    }

    private static String firstIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }

    private String read(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            return "";
        }
    }
}
