package io.edgefleet.gateway.inventory;

import io.edgefleet.events.payload.Inventory;

/** Implemented by a node driver that can see the host's libvirt networks and storage pools. */
public interface LibvirtInventorySource {

    /** The networks and storage pools, or null when libvirt cannot be asked right now. */
    Inventory.Libvirt libvirtInventory();
}
