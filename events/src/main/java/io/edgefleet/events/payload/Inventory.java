package io.edgefleet.events.payload;

import java.util.List;
import java.util.Objects;

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

        /**
         * A gateway's report is not trusted to be whole (an older, buggy or hostile one): a missing list of networks
         * or pools is empty and an entry without a name is dropped, so nothing that judges a placement against it
         * can fail on it. {@code bridges} keeps null: it means "not reported".
         */
        public Libvirt {
            networks = networks == null
                    ? List.of()
                    : networks.stream()
                            .filter(n -> n != null && n.name() != null)
                            .toList();
            storagePools = storagePools == null
                    ? List.of()
                    : storagePools.stream()
                            .filter(p -> p != null && p.name() != null)
                            .toList();
            bridges = bridges == null
                    ? null
                    : bridges.stream().filter(Objects::nonNull).toList();
        }

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
