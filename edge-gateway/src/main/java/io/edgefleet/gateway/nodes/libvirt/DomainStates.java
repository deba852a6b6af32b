package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeAccess;
import org.jboss.logging.Logger;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterface;
import org.libvirt.LibvirtException;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Map;

/** A managed domain as the gateway reports it: its {@link NodeStatus} and the facts of its definition. */
final class DomainStates {

    private static final Logger LOG = Logger.getLogger(DomainStates.class);

    private DomainStates() {}

    static NodeStatus of(Domain d, NodeMetadata meta, String note) throws LibvirtException {
        DomainInfo.DomainState libvirtState = d.getInfo().state;
        NodeState state = switch (libvirtState) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN -> NodeState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_PMSUSPENDED -> NodeState.STOPPED;
            case VIR_DOMAIN_CRASHED -> NodeState.FAILED;
            case VIR_DOMAIN_NOSTATE -> NodeState.CREATING;
        };
        String described = "domain " + d.getName() + " "
                + libvirtState.name().substring("VIR_DOMAIN_".length()).toLowerCase();
        String ip = state == NodeState.RUNNING ? ipOf(d) : null;
        return new NodeStatus(
                meta.clusterId(),
                meta.poolName(),
                meta.nodeId(),
                state,
                d.getUUIDString(),
                ip,
                meta.commandId(),
                note == null ? described : note + "; " + described,
                Instant.now());
    }

    /** What the domain's definition says (the conformance scan compares it with the spec). */
    static NodeAccess.NodeFacts facts(Domain d, NodeMetadata meta) throws LibvirtException {
        DomainInfo info = d.getInfo();
        NodeMetadata.VolumeRef root = meta.root();
        return new NodeAccess.NodeFacts(
                root == null ? null : root.pool() + "/" + root.name(),
                meta.hostname(),
                meta.poolName(),
                meta.role() == null ? null : meta.role().name(),
                info.nrVirtCpu,
                info.maxMem / 1024,
                meta.labels() == null ? Map.of() : Map.copyOf(meta.labels()));
    }

    /**
     * The first IPv4 address libvirt knows: the DHCP lease of a libvirt (NAT) network, else what the guest agent reports
     * of the guest's interfaces (the only source on a host bridge, where the address comes from the site's DHCP or is
     * static), else the host's ARP table. Loopback and link-local addresses do not count.
     */
    private static String ipOf(Domain d) {
        for (int source : new int[] {
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP
        }) {
            try {
                for (DomainInterface i : d.interfaceAddresses(source, 0)) {
                    if (i.addrs == null) {
                        continue;
                    }
                    for (DomainInterface.InterfaceAddress a : i.addrs) {
                        if (a.address instanceof Inet4Address
                                && !a.address.isLoopbackAddress()
                                && !a.address.isLinkLocalAddress()) {
                            return a.address.getHostAddress();
                        }
                    }
                }
            } catch (LibvirtException | RuntimeException e) {
                LOG.tracef("no addresses from source %d: %s", source, e.getMessage());
            }
        }
        return null;
    }
}
