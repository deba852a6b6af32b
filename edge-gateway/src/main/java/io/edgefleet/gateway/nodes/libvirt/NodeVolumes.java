package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Set;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.code;
import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * A node's disks: the root volume cloned from a base image volume, the optional data volume, and their
 * removal. Volumes are found by name, so a create that crashed before its domain was defined leaves
 * volumes the next attempt reuses, and a delete needs no more than the names in {@link NodeMetadata}.
 */
final class NodeVolumes {

    private static final Logger LOG = Logger.getLogger(NodeVolumes.class);
    private static final Set<String> DISK_FORMATS = Set.of("raw", "qcow2", "qed", "vmdk", "vdi", "vpc", "vhdx");

    private final LibvirtConnection connection;

    NodeVolumes(LibvirtConnection connection) {
        this.connection = connection;
    }

    StoragePool pool(String name) throws LibvirtException, NodeDriverException {
        try {
            return connection.live().storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                throw new NodeDriverException("storage pool '" + name + "' does not exist");
            }
            throw e;
        }
    }

    /** The volume, or null when the pool has none of that name. */
    static StorageVol find(StoragePool pool, String name) throws LibvirtException {
        try {
            return pool.storageVolLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                return null;
            }
            throw e;
        }
    }

    /** The root volume {@code ref}: left from an earlier attempt, else cloned from {@code base} and added to {@code made}. */
    StorageVol root(
            StoragePool images,
            StoragePool target,
            StorageVol base,
            NodeMetadata.VolumeRef ref,
            long bytes,
            List<StorageVol> made)
            throws LibvirtException {
        StorageVol root = find(target, ref.name());
        if (root == null) {
            root = cloneBase(images, target, base, ref.name(), bytes);
            made.add(root);
        } else {
            LOG.infof("reusing root volume %s/%s left from an earlier attempt", ref.pool(), ref.name());
        }
        return root;
    }

    /** The data volume {@code ref}: left from an earlier attempt, else a new empty raw one added to {@code made}. */
    StorageVol data(StoragePool pool, NodeMetadata.VolumeRef ref, long bytes, List<StorageVol> made)
            throws LibvirtException {
        StorageVol data = find(pool, ref.name());
        if (data == null) {
            data = pool.storageVolCreateXML(DomainXml.volume(ref.name(), bytes, "raw", null, null), 0);
            made.add(data);
        } else {
            LOG.infof("reusing data volume %s/%s left from an earlier attempt", ref.pool(), ref.name());
        }
        return data;
    }

    /** After a failed create: nothing references the volumes it made, so they go again. */
    static void removeQuietly(List<StorageVol> made) {
        for (StorageVol v : made) {
            try {
                v.delete(0);
            } catch (LibvirtException cleanup) {
                LOG.warnf("could not remove volume after a failed create: %s", message(cleanup));
            }
        }
    }

    void delete(NodeMetadata.VolumeRef ref) throws LibvirtException {
        if (ref == null) {
            return;
        }
        StoragePool pool;
        try {
            pool = connection.live().storagePoolLookupByName(ref.pool());
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                LOG.warnf("storage pool %s of volume %s is gone: nothing to delete", ref.pool(), ref.name());
                return;
            }
            throw e;
        }
        StorageVol vol = find(pool, ref.name());
        if (vol != null) {
            vol.delete(0);
        }
    }

    /** The volume's format (target/format/@type), as a disk driver type; raw when unknown. */
    static String format(StorageVol vol) throws LibvirtException {
        Document doc = Xml.parse(vol.getXMLDesc(0));
        Element format = Xml.path(doc.getDocumentElement(), "target", "format");
        String type = format == null ? "" : format.getAttribute("type");
        return DISK_FORMATS.contains(type) ? type : "raw";
    }

    /**
     * Clones the base volume into the target pool. libvirt's test driver cannot clone across pools: it
     * looks the source volume up in the target pool and answers "no storage vol with matching name"
     * (VIR_FROM_TEST, VIR_ERR_NO_STORAGE_VOL) for a volume that was just found. Then, and when a driver
     * reports the clone as unsupported, the root volume becomes a qcow2 overlay whose {@code <backingStore>}
     * is the base volume's path: the same disk content for the guest, copy-on-write instead of a copy.
     */
    private static StorageVol cloneBase(
            StoragePool images, StoragePool target, StorageVol base, String rootName, long bytes)
            throws LibvirtException {
        String baseFormat = format(base);
        try {
            return target.storageVolCreateXMLFrom(DomainXml.volume(rootName, bytes, baseFormat, null, null), base, 0);
        } catch (LibvirtException e) {
            if (!cloneUnsupported(e, images, target)) {
                throw e;
            }
            LOG.infof(
                    "cannot clone %s across pools here (%s): creating %s as an overlay backed by it",
                    base.getName(), message(e), rootName);
            return target.storageVolCreateXML(
                    DomainXml.volume(rootName, bytes, "qcow2", base.getPath(), baseFormat), 0);
        }
    }

    private static boolean cloneUnsupported(LibvirtException e, StoragePool images, StoragePool target)
            throws LibvirtException {
        Error.ErrorNumber code = e.getError().getCode();
        if (code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT
                || code == Error.ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED
                || code == Error.ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED) {
            return true;
        }
        return e.getError().getDomain() == Error.ErrorDomain.VIR_FROM_TEST
                && code == Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL
                && !images.getName().equals(target.getName());
    }
}
