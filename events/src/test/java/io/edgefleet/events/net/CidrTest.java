package io.edgefleet.events.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one CIDR and IP literal parser of the services and the gateway. */
class CidrTest {

    @Test
    void rangesOfBothFamiliesParseAndOverlapWithinTheirFamily() {
        assertTrue(Cidr.parse("10.96.0.0/12").overlaps(Cidr.parse("10.100.0.0/16")));
        assertFalse(Cidr.parse("10.96.0.0/12").overlaps(Cidr.parse("192.168.0.0/16")));
        assertTrue(Cidr.parse("fd00::/8").overlaps(Cidr.parse("fd12:3456::/32")));
        assertFalse(Cidr.parse("0.0.0.0/0").overlaps(Cidr.parse("::/0")), "families never overlap");
        assertTrue(Cidr.parse("192.168.122.0/24").contains(IpLiterals.parse("192.168.122.7")));
        assertFalse(Cidr.parse("192.168.122.0/24").contains(IpLiterals.parse("192.168.123.7")));
    }

    @Test
    void badRangesSayWhatIsWrong() {
        assertEquals(
                "'10.96.0.1/12' has host bits set; the network is 10.96.0.0/12",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.96.0.1/12"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.96.0.0/33"))
                .getMessage()
                .contains("outside 0..32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.96.0.0"))
                .getMessage()
                .contains("is not a CIDR range"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.0.0.0/104"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost/8"));
    }

    @Test
    void literalsAreParsedNeverResolved() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpLiterals.parse("10.0.0.1"));
        assertEquals(16, IpLiterals.parse("fd00::1").length);
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpLiterals.parse("::ffff:10.0.0.1"), "IPv4-mapped: the IPv4 bytes");
        assertNull(IpLiterals.parse("010.0.0.1"), "leading zeros are octal to some parsers");
        assertNull(IpLiterals.parse("localhost"), "a name is not resolved");
        assertNull(IpLiterals.parse("example.org"));
        assertNull(IpLiterals.parse("256.0.0.1"));
        assertNull(IpLiterals.parse(""));
    }
}
