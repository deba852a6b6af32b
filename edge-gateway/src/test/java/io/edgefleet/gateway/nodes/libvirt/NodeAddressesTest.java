package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a domain's addresses are reported: the first IPv4 one leads (the primary), IPv6 in its short form. */
class NodeAddressesTest {

    private static List<InetAddress> of(String... texts) throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (String t : texts) {
            out.add(InetAddress.getByName(t)); // literals: no lookup
        }
        return out;
    }

    @Test
    void theFirstIpv4AddressLeadsTheRestKeepTheirOrder() throws Exception {
        assertEquals(
                List.of("172.30.150.12", "fd00::5", "10.1.0.7"),
                DomainStates.primaryFirst(of("fd00::5", "172.30.150.12", "10.1.0.7")));
        assertEquals(List.of("2001:db8::1:0:0:1"), DomainStates.primaryFirst(of("2001:db8:0:0:1:0:0:1")));
        assertEquals(List.of(), DomainStates.primaryFirst(List.of()));
    }

    @Test
    void ipv6InItsShortForm() throws Exception {
        assertEquals("fd00::5", DomainStates.text(InetAddress.getByName("fd00:0:0:0:0:0:0:5")));
        assertEquals("::1", DomainStates.text(InetAddress.getByName("::1")));
        assertEquals("fd00::", DomainStates.text(InetAddress.getByName("fd00::")));
        assertEquals("fd00:1:2:3:4:5:6:7", DomainStates.text(InetAddress.getByName("fd00:1:2:3:4:5:6:7")));
        assertEquals("fd00:0:1::", DomainStates.text(InetAddress.getByName("fd00:0:1:0:0:0:0:0")));
        assertEquals("10.0.0.5", DomainStates.text(InetAddress.getByName("10.0.0.5")));
    }
}
