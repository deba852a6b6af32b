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
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        List<String> addresses = state == NodeState.RUNNING ? addressesOf(d) : List.of();
        // the primary address is IPv4 (what the scans probe and the nodes view showed before there were several)
        String ip = addresses.isEmpty() || addresses.get(0).indexOf(':') >= 0 ? null : addresses.get(0);
        return new NodeStatus(
                meta.clusterId(),
                meta.poolName(),
                meta.nodeId(),
                state,
                d.getUUIDString(),
                ip,
                meta.commandId(),
                note == null ? described : note + "; " + described,
                Instant.now(),
                addresses);
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
     * Every address libvirt knows of the domain's NICs, IPv4 and IPv6, the primary first: the DHCP leases of libvirt
     * (NAT) networks and what the guest agent reports of the guest's interfaces (the only source on a host bridge, where
     * addresses come from the site's DHCP or are static) together, else the host's ARP table. Loopback and link-local
     * addresses do not count. The primary is the first IPv4 address in that order (a lease before the agent's view).
     */
    static List<String> addressesOf(Domain d) {
        Set<InetAddress> found = new LinkedHashSet<>();
        for (int source : new int[] {
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
            Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP
        }) {
            if (source == Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP && !found.isEmpty()) {
                break; // ARP only sees what spoke lately: a last resort
            }
            try {
                for (DomainInterface i : d.interfaceAddresses(source, 0)) {
                    if (i.addrs == null) {
                        continue;
                    }
                    for (DomainInterface.InterfaceAddress a : i.addrs) {
                        if (a.address != null && !a.address.isLoopbackAddress() && !a.address.isLinkLocalAddress()) {
                            found.add(a.address);
                        }
                    }
                }
            } catch (LibvirtException | RuntimeException e) {
                LOG.tracef("no addresses from source %d: %s", source, e.getMessage());
            }
        }
        return primaryFirst(found);
    }

    /** The first IPv4 address leads, the rest keep their order; IPv6 in its short form (RFC 5952). */
    static List<String> primaryFirst(Collection<InetAddress> addresses) {
        List<String> ordered = new ArrayList<>();
        addresses.stream().filter(a -> a instanceof Inet4Address).findFirst().ifPresent(a -> ordered.add(text(a)));
        for (InetAddress a : addresses) {
            String text = text(a);
            if (!ordered.contains(text)) {
                ordered.add(text);
            }
        }
        return ordered;
    }

    /** The JDK writes IPv6 addresses in full ({@code fd00:0:0:0:0:0:0:5}); the nodes view shows {@code fd00::5}. */
    static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return a.getHostAddress();
        }
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1, bestLength = 1; // only a run of two or more zero groups is shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && h[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(h[i]));
        }
        return out.toString();
    }
}
