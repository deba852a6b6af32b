package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.ConsoleText;
import org.jboss.logging.Logger;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.w3c.dom.Element;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.code;

/**
 * A node's serial console, logged by libvirt (virtlogd) into a file {@code <domain>-console.log} beside the node's
 * root disk, in the target pool's directory. There the file is a volume of the pool, so the gateway reads its tail
 * through libvirt (a volume download) whether libvirtd is on this machine or reached over SSH, and removes it with the
 * node.
 */
final class ConsoleLog {

    private static final Logger LOG = Logger.getLogger(ConsoleLog.class);
    /** Bytes read from the end of the log: enough for the last screens of a boot. */
    static final int TAIL_BYTES = 64 * 1024;
    /** Pool types whose target path is a mounted directory of files. */
    static final Set<String> DIRECTORY_POOLS = Set.of("dir", "fs", "netfs");

    private ConsoleLog() {}

    static String volumeName(String domainName) {
        return domainName + "-console.log";
    }

    /**
     * The log file's path for the domain XML: in the target pool's directory; null (no console log) when the pool is
     * not a directory (an LVM or iSCSI pool's target path is a device directory, where no file can be made).
     */
    static String path(StoragePool target, String domainName) throws LibvirtException {
        Element pool = Xml.parse(target.getXMLDesc(0)).getDocumentElement();
        Element path = Xml.path(pool, "target", "path");
        if (!DIRECTORY_POOLS.contains(pool.getAttribute("type"))
                || path == null
                || path.getTextContent().isBlank()) {
            return null;
        }
        return path.getTextContent().strip() + "/" + volumeName(domainName);
    }

    /**
     * The last {@code lines} lines of the console (carriage returns and escape sequences dropped); empty when there is
     * no log (yet).
     */
    static List<String> tail(StoragePool pool, String domainName, int lines) {
        return tail(pool, domainName, lines, TAIL_BYTES);
    }

    /** Like {@link #tail(StoragePool, String, int)}, from the last {@code bytes} of the log. */
    static List<String> tail(StoragePool pool, String domainName, int lines, int bytes) {
        try {
            pool.refresh(0); // virtlogd made the file: the pool learns of it on a refresh
            StorageVol vol = NodeVolumes.find(pool, volumeName(domainName));
            if (vol == null) {
                return List.of();
            }
            long size = vol.getInfo().capacity;
            long from = Math.max(0, size - bytes);
            return lastLines(download(pool, vol, from, size - from), lines);
        } catch (LibvirtException e) {
            LOG.debugf("console log of %s not readable: %s", domainName, LibvirtErrors.message(e));
            return List.of();
        }
    }

    /** Removes the log with its node; there is nothing to remove when the node never ran. */
    static void delete(StoragePool pool, String domainName) throws LibvirtException {
        try {
            pool.refresh(0);
        } catch (LibvirtException e) {
            LOG.debugf("refresh of pool %s failed: %s", pool.getName(), LibvirtErrors.message(e));
        }
        StorageVol vol = NodeVolumes.find(pool, volumeName(domainName));
        if (vol != null) {
            try {
                vol.delete(0);
            } catch (LibvirtException e) {
                if (code(e) != Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                    throw e;
                }
            }
        }
    }

    private static byte[] download(StoragePool pool, StorageVol vol, long offset, long length) throws LibvirtException {
        Stream stream = pool.getConnect().streamNew(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            vol.download(stream, offset, length, 0);
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = stream.receive(buf)) > 0) {
                out.write(buf, 0, n);
            }
            stream.finish();
        } catch (LibvirtException e) {
            try {
                stream.abort();
            } catch (LibvirtException ignored) {
                // the stream failed already
            }
            throw e;
        } finally {
            try {
                stream.free();
            } catch (LibvirtException ignored) {
                // nothing to release
            }
        }
        return out.toByteArray();
    }

    static List<String> lastLines(byte[] bytes, int lines) {
        List<String> all = ConsoleText.lines(bytes);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }
}
