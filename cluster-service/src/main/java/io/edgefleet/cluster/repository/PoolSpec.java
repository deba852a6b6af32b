package io.edgefleet.cluster.repository;

import java.util.List;

/**
 * A node pool as defined (and later scaled). Stored as JSON on the cluster row.
 *
 * @param cpu        vCPUs per node (virtualized) or the container's CPU limit (containerized; 0: none)
 * @param memoryGb   memory per node (virtualized) or the container's memory limit (containerized; 0: none)
 * @param rootDiskGb root disk per node, cloned into each appliance's target pool (virtualized only)
 * @param dataDiskGb data disk per node in each appliance's data pool (virtualized only; 0: none)
 * @param cpuSet     optional host CPU set, e.g. {@code 0-3,6}
 * @param appliances where the nodes go: spread evenly over these, in this order
 */
public record PoolSpec(
        String name,
        boolean master,
        int size,
        boolean allowWorkerCapability,
        RollingStrategy rollingStrategy,
        int cpu,
        int memoryGb,
        int rootDiskGb,
        int dataDiskGb,
        String cpuSet,
        List<Placement> appliances) {

    public PoolSpec withSize(int newSize, RollingStrategy strategy) {
        return new PoolSpec(
                name,
                master,
                newSize,
                allowWorkerCapability,
                strategy == null ? rollingStrategy : strategy,
                cpu,
                memoryGb,
                rootDiskGb,
                dataDiskGb,
                cpuSet,
                appliances);
    }

    public Placement placement(String uid) {
        return appliances.stream().filter(p -> p.uid().equals(uid)).findFirst().orElse(null);
    }
}
