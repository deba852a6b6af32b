package io.edgefleet.events.payload;

import io.edgefleet.events.EventJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A gateway's libvirt inventory as the services read it: nothing in it can make a placement check throw. */
class InventoryTest {

    @Test
    void missingListsAreEmptyAndNamelessEntriesAreDropped() throws Exception {
        Inventory.Libvirt libvirt = EventJson.mapper().readValue("""
                        {"networks": [null, {"active": true}, {"name": "default", "active": true}],
                         "bridges": ["br0", null]}
                        """, Inventory.Libvirt.class);
        assertEquals(List.of(new Inventory.Network("default", true)), libvirt.networks());
        assertEquals(List.of(), libvirt.storagePools(), "no pools reported: none");
        assertEquals(List.of("br0"), libvirt.bridges());

        Inventory.Libvirt pools = EventJson.mapper().readValue("""
                        {"storagePools": [{"capacityBytes": 1}, {"name": "vms", "capacityBytes": 2}]}
                        """, Inventory.Libvirt.class);
        assertEquals(
                List.of("vms"),
                pools.storagePools().stream().map(Inventory.StoragePool::name).toList());
        assertEquals(List.of(), pools.networks());
        assertNull(pools.bridges(), "bridges not reported stays unknown (older gateways)");
    }
}
