package io.edgefleet.events.payload;

import java.util.List;

/**
 * What the gateway discovered on its machine.
 *
 * @param libvirt null when the machine has no libvirt
 * @param docker  null when the gateway did not look for Docker
 */
public record Inventory(
        String hostname, String ip, int cpus, long memoryBytes, List<Disk> disks, Libvirt libvirt, Docker docker) {

    public record Disk(String name, long sizeBytes) {}

    /**
     * @param bridges the host's bridge interfaces, which a {@code bridge} placement can name; null from gateways that do
     *                not report them (then nothing can be checked against them)
     */
    public record Libvirt(List<Network> networks, List<StoragePool> storagePools, List<String> bridges) {

        public Libvirt(List<Network> networks, List<StoragePool> storagePools) {
            this(networks, storagePools, null);
        }
    }

    public record Network(String name, boolean active) {}

    /**
     * @param unusable why QEMU could not use the pool's directory for a node's disks (naming the directory and what to
     *                 change); null when it can, when that cannot be told, or from gateways that do not check
     */
    public record StoragePool(String name, long capacityBytes, long availableBytes, String unusable) {

        public StoragePool(String name, long capacityBytes, long availableBytes) {
            this(name, capacityBytes, availableBytes, null);
        }
    }

    public record Docker(boolean present, String version) {}
}
