package io.edgefleet.cluster.repository;

/**
 * One appliance of a pool. The libvirt fields are for virtualized clusters only (null otherwise).
 *
 * @param networkType {@code network} (a libvirt network) or {@code bridge} (a host bridge)
 * @param imagePool   storage pool holding the base image
 * @param targetPool  storage pool the root disk is cloned into
 * @param dataPool    storage pool of the data disk
 */
public record Placement(
        String uid, String networkType, String networkName, String imagePool, String targetPool, String dataPool) {}
