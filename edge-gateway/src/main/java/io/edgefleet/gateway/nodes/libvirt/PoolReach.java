package io.edgefleet.gateway.nodes.libvirt;

import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pre-flight of a node's pools: can QEMU's user (libvirt's DAC label, {@code libvirt-qemu} on Debian) enter the
 * directory of each pool its disks go to, and every directory above it? Else the domain would be defined and fail to
 * start with QEMU's bare "Permission denied". Asked of libvirt, not of this machine's file system, so it holds for a
 * libvirtd reached over SSH too: the pool's XML has its directory's mode and owner, and each directory above it is
 * looked at through a transient {@code dir} pool (started and destroyed at once; it creates nothing).
 * <p>
 * Only search permission is needed: libvirtd (root) creates the volumes, virtlogd (root) the console log, and libvirt
 * hands each disk file to QEMU's user when the domain starts — QEMU never creates files in a pool directory (Debian's
 * {@code /var/lib/libvirt/images} is {@code 0711 root:root}).
 */
final class PoolReach {

    private static final Logger LOG = Logger.getLogger(PoolReach.class);

    private PoolReach() {}

    /** QEMU's user from the host capabilities' DAC security model (for this domain type); null when there is none. */
    static DirectoryAccess.QemuUser qemuUser(Connect connect, String domainType) throws LibvirtException {
        Document caps = Xml.parse(connect.getCapabilities());
        Element host = Xml.child(caps.getDocumentElement(), null, "host");
        if (host == null) {
            return null;
        }
        for (Element model : Xml.children(host, null, "secmodel")) {
            if (!"dac".equals(Xml.childText(model, null, "model"))) {
                continue;
            }
            DirectoryAccess.QemuUser any = null;
            for (Element label : Xml.children(model, null, "baselabel")) {
                DirectoryAccess.QemuUser user = DirectoryAccess.QemuUser.parse(label.getTextContent());
                if (domainType.equals(label.getAttribute("type")) && user != null) {
                    return user;
                }
                any = any == null ? user : any;
            }
            return any;
        }
        return null;
    }

    /**
     * Why QEMU cannot reach the pool's directory, naming the directory and what to change; null when it can (or when
     * that cannot be told: not a directory pool, a directory libvirt cannot look at, a group QEMU may be in).
     *
     * @param role how the pool is named in the node's placement, e.g. {@code target storage pool}
     */
    static String unreachable(StoragePool pool, String role, DirectoryAccess.QemuUser qemu) throws LibvirtException {
        Element xml = Xml.parse(pool.getXMLDesc(0)).getDocumentElement();
        if (!ConsoleLog.DIRECTORY_POOLS.contains(xml.getAttribute("type"))) {
            return null; // a device directory (LVM, iSCSI): libvirt hands the devices to QEMU
        }
        Element target = Xml.path(xml, "target");
        Element pathElement = target == null ? null : Xml.path(target, "path");
        if (pathElement == null || pathElement.getTextContent().isBlank()) {
            return null;
        }
        Path dir = Path.of(pathElement.getTextContent().strip());
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        Map<Path, Element> pools = activePoolDirectories(pool.getConnect());
        for (Path p : chain) {
            Element permissions = p.equals(dir)
                    ? Xml.path(target, "permissions")
                    // libvirt refuses a second pool on a directory that is a pool's already (e.g. the default pool's)
                    : pools.containsKey(p) ? pools.get(p) : permissionsOf(pool.getConnect(), p);
            Perm perm = Perm.of(permissions);
            if (perm == null) {
                continue;
            }
            if (DirectoryAccess.searchable(perm.mode, perm.owner, perm.group, qemu) == DirectoryAccess.Verdict.NO) {
                return role + " '" + pool.getName() + "': QEMU runs as uid " + qemu.uid() + " (gid " + qemu.gid()
                        + "; libvirt-qemu on Debian, 'user' in /etc/libvirt/qemu.conf) and cannot enter " + p
                        + " (mode " + String.format("%04o", perm.mode) + ", owner " + perm.owner + ":" + perm.group
                        + "), so it could not open the node's disks in " + dir + ". Make it searchable (chmod o+x "
                        + p + "), or use a pool whose directory QEMU can reach (e.g. under /var/lib/libvirt/images)";
            }
        }
        return null;
    }

    private record Perm(int mode, long owner, long group) {
        static Perm of(Element permissions) {
            if (permissions == null) {
                return null;
            }
            try {
                return new Perm(
                        Integer.parseInt(
                                Xml.childText(permissions, null, "mode").strip(), 8),
                        Long.parseLong(Xml.childText(permissions, null, "owner").strip()),
                        Long.parseLong(Xml.childText(permissions, null, "group").strip()));
            } catch (RuntimeException e) {
                return null; // a field missing or not numeric: nothing to judge by
            }
        }
    }

    /** The directories of the running pools, with their permissions. */
    private static Map<Path, Element> activePoolDirectories(Connect connect) throws LibvirtException {
        Map<Path, Element> found = new HashMap<>();
        for (String name : connect.listStoragePools()) {
            try {
                Element target = Xml.path(
                        Xml.parse(connect.storagePoolLookupByName(name).getXMLDesc(0))
                                .getDocumentElement(),
                        "target");
                Element path = target == null ? null : Xml.path(target, "path");
                if (path != null && !path.getTextContent().isBlank()) {
                    found.put(Path.of(path.getTextContent().strip()), Xml.path(target, "permissions"));
                }
            } catch (LibvirtException e) {
                LOG.debugf("pool %s: %s", name, LibvirtErrors.message(e)); // gone meanwhile
            }
        }
        return found;
    }

    /** A directory's permissions as libvirt sees them, through a transient pool; null when libvirt cannot say. */
    private static Element permissionsOf(Connect connect, Path dir) {
        Document doc = Xml.newDocument();
        Element pool = Xml.attr(Xml.add(doc, "pool"), "type", "dir");
        Xml.add(pool, "name", "ef-probe-" + UUID.randomUUID().toString().substring(0, 8));
        Xml.add(Xml.add(pool, "target"), "path", dir.toString());
        StoragePool probe = null;
        try {
            probe = connect.storagePoolCreateXML(Xml.serialize(doc), 0);
            Element target = Xml.path(Xml.parse(probe.getXMLDesc(0)).getDocumentElement(), "target");
            return target == null ? null : Xml.path(target, "permissions");
        } catch (LibvirtException e) {
            LOG.debugf("cannot look at directory %s through libvirt: %s", dir, LibvirtErrors.message(e));
            return null;
        } finally {
            if (probe != null) {
                try {
                    probe.destroy(); // transient: destroyed is gone
                    probe.free();
                } catch (LibvirtException e) {
                    LOG.warnf("probe pool for %s not removed: %s", dir, LibvirtErrors.message(e));
                }
            }
        }
    }
}
