package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

import java.time.Duration;
import java.util.Optional;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.code;
import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * The nodes' domains: look-up, the ownership check every change passes, define, stop and undefine. A
 * domain is ours only when its {@code <metadata>} carries this tenant's {@link NodeMetadata}; any other
 * domain is left untouched.
 */
final class NodeDomains {

    private static final Logger LOG = Logger.getLogger(NodeDomains.class);
    private static final int UNDEFINE_FLAGS =
            Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA;

    private final LibvirtConnection connection;
    private final String tenant;

    NodeDomains(LibvirtConnection connection, String tenant) {
        this.connection = connection;
        this.tenant = tenant;
    }

    /** The domain, or null when there is none of that name. */
    Domain find(String name) throws LibvirtException {
        try {
            return connection.live().domainLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw e;
        }
    }

    Domain require(String name) throws LibvirtException, NodeDriverException {
        Domain d = find(name);
        if (d == null) {
            throw new NodeDriverException("node " + name + " does not exist");
        }
        return d;
    }

    Domain[] all() throws LibvirtException {
        return connection.live().listAllDomains(0);
    }

    /** The metadata of a domain the caller names: ours (tenant) and of that cluster and node, or an error. */
    NodeMetadata owned(Domain d, String name, String clusterId, String nodeId)
            throws LibvirtException, NodeDriverException {
        NodeMetadata meta = metadata(d)
                .orElseThrow(() -> new NodeDriverException(
                        "a domain named " + name + " exists that EdgeFleet did not create: it is left untouched"));
        if (!meta.tenant().equals(tenant)) {
            throw new NodeDriverException("domain " + name + " belongs to another tenant: it is left untouched");
        }
        if (!meta.clusterId().equals(clusterId) || !meta.nodeId().equals(nodeId)) {
            throw new NodeDriverException("domain " + name + " belongs to node " + meta.nodeId() + " of cluster "
                    + meta.clusterId() + ": it is left untouched");
        }
        return meta;
    }

    /** The domain's metadata when it is a node of this tenant; empty for any other domain. */
    Optional<NodeMetadata> ours(Domain d) throws LibvirtException {
        return metadata(d).filter(m -> m.tenant().equals(tenant));
    }

    private static Optional<NodeMetadata> metadata(Domain d) throws LibvirtException {
        return NodeMetadata.fromDomainXml(d.getXMLDesc(0));
    }

    void requireNetwork(String name) throws LibvirtException, NodeDriverException {
        try {
            connection.live().networkLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_NETWORK) {
                throw new NodeDriverException("libvirt network '" + name + "' does not exist");
            }
            throw e;
        }
    }

    Domain define(String xml) throws LibvirtException {
        return connection.live().domainDefineXML(xml);
    }

    /** ACPI shutdown, then, after {@code timeout}, a hard power-off; says which it took. */
    static String stop(Domain d, String name, Duration timeout) throws LibvirtException {
        String how = "stopped";
        if (d.isActive() == 1) {
            try {
                d.shutdown();
            } catch (LibvirtException e) {
                LOG.debugf("shutdown request to %s: %s", name, message(e));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (d.isActive() == 1
                    && System.nanoTime() < deadline
                    && !Thread.currentThread().isInterrupted()) {
                sleep(200);
            }
            if (d.isActive() == 1) {
                LOG.infof("node %s did not shut down within %s s: powering it off", name, timeout.toSeconds());
                destroy(d);
                how = "powered off (no shutdown within " + timeout.toSeconds() + " s)";
            }
        }
        return how;
    }

    static void destroy(Domain d) throws LibvirtException {
        try {
            d.destroy();
        } catch (LibvirtException e) {
            if (code(e) != Error.ErrorNumber.VIR_ERR_OPERATION_INVALID) { // "not running": it stopped meanwhile
                throw e;
            }
        }
    }

    /** Without managed save and snapshot metadata; drivers that know neither flag get a plain undefine. */
    static void undefine(Domain d) throws LibvirtException {
        try {
            d.undefine(UNDEFINE_FLAGS);
        } catch (LibvirtException e) {
            Error.ErrorNumber code = e.getError().getCode();
            if (code == Error.ErrorNumber.VIR_ERR_INVALID_ARG || code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT) {
                d.undefine();
            } else if (code != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                throw e;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
