package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.kit.rest.Validator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pre-flight of a virtualized placement's storage pools against what the appliance's gateway reported: each named pool
 * is one of the appliance's, and the pools the nodes' disks go to are usable by QEMU. A pool QEMU cannot use is
 * refused here, naming the field, with the gateway's reason (the directory, its mode and owner, what to change) —
 * before any command, where otherwise the gateway would refuse the node once the cluster is being made.
 */
final class StoragePools {

    private StoragePools() {}

    /**
     * @param dataDisk whether the nodes get a data disk (else {@code dataPool} holds nothing and is not judged)
     * @param at       the placement's field, e.g. {@code pools[0].appliances[1]}
     * @param app      the start of every message, naming the pool and the appliance
     */
    static void check(
            List<Inventory.StoragePool> reported, Placement p, boolean dataDisk, String at, String app, Validator v) {
        Map<String, Inventory.StoragePool> byName = new TreeMap<>();
        // what a gateway reported is not trusted to be whole: a pool without a name cannot be chosen, none is none
        if (reported != null) {
            reported.stream()
                    .filter(pool -> pool != null && pool.name() != null)
                    .forEach(pool -> byName.put(pool.name(), pool));
        }
        // the image pool only holds the base image, which libvirt copies into the target pool
        pool(byName, "imagePool", p.imagePool(), false, at, app, v);
        pool(byName, "targetPool", p.targetPool(), true, at, app, v);
        pool(byName, "dataPool", p.dataPool(), dataDisk, at, app, v);
    }

    private static void pool(
            Map<String, Inventory.StoragePool> byName,
            String field,
            String name,
            boolean holdsDisks,
            String at,
            String app,
            Validator v) {
        if (name == null) {
            return; // reported as required with the placement's other fields
        }
        Inventory.StoragePool pool = byName.get(name);
        if (pool == null) {
            v.require(
                    false,
                    at + "." + field,
                    app + "storage pool '" + name + "' is not among its storage pools " + byName.keySet());
        } else if (holdsDisks && pool.unusable() != null) {
            v.require(false, at + "." + field, app + "QEMU could not use it for the nodes' disks: " + pool.unusable());
        }
    }
}
