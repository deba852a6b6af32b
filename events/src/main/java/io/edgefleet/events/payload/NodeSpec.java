package io.edgefleet.events.payload;

import java.util.List;
import java.util.Map;

/**
 * Everything a gateway needs to create one Kubernetes node: a Docker container (containerized) or a
 * libvirt domain (virtualized).
 *
 * @param clusterId         the cluster the node belongs to ([a-z0-9-], at most 40 characters)
 * @param poolName          its node pool
 * @param nodeId            unique in the cluster ([a-z0-9-], at most 40 characters)
 * @param image             containerized: the node image; virtualized: the base volume in the image pool
 * @param placement         virtualized only (null for containers)
 * @param sshAuthorizedKeys public keys for remote access to the node
 * @param env               environment of the node (proxy settings among them)
 * @param files             files placed in the node before it boots (bootstrap config, CA certificates)
 * @param labels            extra labels (profile tags), informational
 */
public record NodeSpec(
        String clusterId,
        String poolName,
        String nodeId,
        NodeRole role,
        String hostname,
        Resources resources,
        String image,
        VirtualPlacement placement,
        List<String> sshAuthorizedKeys,
        Map<String, String> env,
        List<NodeFile> files,
        Map<String, String> labels) {

    /**
     * @param cpus       vCPUs (virtualized) or CPU limit (containerized)
     * @param memoryMb   memory, MiB
     * @param rootDiskGb root disk size, GiB (virtualized)
     * @param cpuSet     optional host CPU set, e.g. {@code 0-3,6}
     */
    public record Resources(int cpus, long memoryMb, int rootDiskGb, String cpuSet) {}

    /**
     * Where a virtualized node lives on its appliance.
     *
     * @param networkType {@code network} (a libvirt network) or {@code bridge} (a host bridge)
     * @param imagePool   storage pool holding the base image volume
     * @param targetPool  storage pool the root disk is cloned into
     * @param dataPool    storage pool of the data disk
     * @param dataDiskGb  data disk size, GiB (0: none)
     */
    public record VirtualPlacement(
            String networkType,
            String networkName,
            String imagePool,
            String targetPool,
            String dataPool,
            int dataDiskGb) {}

    /** A file put into the node; {@code permissions} in octal, e.g. {@code 0644}; {@code owner} like {@code root:root}. */
    public record NodeFile(String path, String content, String owner, String permissions) {}
}
