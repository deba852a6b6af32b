package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.Inventory;
import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * The host's libvirt networks, storage pools (with why QEMU could not use one, so that cluster-service's pre-flight
 * refuses it up front) and bridge interfaces, for the gateway's reports: what placements can name.
 */
final class HostInventory {

    private static final Logger LOG = Logger.getLogger(HostInventory.class);

    private HostInventory() {}

    /** Why QEMU could not use a running pool for a node's disks; null when it can or that cannot be told. */
    @FunctionalInterface
    interface PoolCheck {
        String unusable(StoragePool pool) throws LibvirtException;
    }

    /** Null when libvirt cannot be asked right now (a report without it beats no report). */
    static Inventory.Libvirt read(LibvirtConnection connection, PoolCheck check) {
        if (connection.isClosed()) {
            return null;
        }
        try {
            Connect c = connection.live();
            List<Inventory.Network> networks = new ArrayList<>();
            for (String name : c.listNetworks()) {
                networks.add(new Inventory.Network(name, true));
            }
            for (String name : c.listDefinedNetworks()) {
                networks.add(new Inventory.Network(name, false));
            }
            List<Inventory.StoragePool> pools = new ArrayList<>();
            for (String name : c.listStoragePools()) {
                try {
                    StoragePool pool = c.storagePoolLookupByName(name);
                    StoragePoolInfo info = pool.getInfo();
                    pools.add(new Inventory.StoragePool(name, info.capacity, info.available, unusable(check, pool)));
                } catch (LibvirtException e) {
                    LOG.debugf("storage pool %s: %s", name, message(e)); // removed meanwhile
                }
            }
            for (String name : c.listDefinedStoragePools()) {
                pools.add(new Inventory.StoragePool(name, 0, 0)); // inactive: libvirt knows no sizes
            }
            return new Inventory.Libvirt(networks, pools, bridges(c));
        } catch (LibvirtException | RuntimeException e) {
            LOG.warnf(
                    "cannot read libvirt's networks and pools: %s",
                    e instanceof LibvirtException le ? message(le) : e.toString());
            return null;
        }
    }

    /** The pool is reported even when its check fails (the gateway's own pre-flight checks it again). */
    private static String unusable(PoolCheck check, StoragePool pool) {
        try {
            return check.unusable(pool);
        } catch (LibvirtException | RuntimeException e) {
            LOG.debugf("cannot tell whether QEMU can use a storage pool: %s", e.toString());
            return null;
        }
    }

    /**
     * The host's bridges (libvirt's interface driver, which reads the host's interfaces, up or down); null when the
     * driver cannot list them, so that pre-flight does not refuse every bridge because of it.
     */
    private static List<String> bridges(Connect c) {
        try {
            Set<String> names = new TreeSet<>(List.of(c.listInterfaces()));
            names.addAll(List.of(c.listDefinedInterfaces()));
            List<String> bridges = new ArrayList<>();
            for (String name : names) {
                try {
                    Element root = Xml.parse(c.interfaceLookupByName(name).getXMLDescription(0))
                            .getDocumentElement();
                    if ("bridge".equals(root.getAttribute("type"))) {
                        bridges.add(name);
                    }
                } catch (LibvirtException e) {
                    LOG.debugf("interface %s: %s", name, message(e)); // removed meanwhile
                }
            }
            return bridges;
        } catch (LibvirtException e) {
            LOG.debugf("cannot list the host's interfaces: %s", message(e));
            return null;
        }
    }
}
