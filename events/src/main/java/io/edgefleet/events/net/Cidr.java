package io.edgefleet.events.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.96.0.0/12}), such as a cluster's pod and service ranges. The
 * profile service checks them in pack values, the cluster service again before it builds a cluster, the edge
 * gateway's installer and node configuration checks too: one parser here, so all accept the same ranges.
 */
public record Cidr(byte[] network, int prefix) {

    /** @throws IllegalArgumentException with a message fit for an operator */
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR range like 10.96.0.0/12");
        }
        String host = text.substring(0, slash);
        byte[] address = IpLiterals.parse(host);
        // an IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is neither family's range
        if (address == null || host.contains(":") != (address.length == 16)) {
            throw new IllegalArgumentException("'" + text + "' does not start with an IPv4 or IPv6 address");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        int bits = address.length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
        }
        if (!masked(address, prefix).equals(new BigInteger(1, address))) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; the network is "
                    + format(masked(address, prefix), address.length) + "/" + prefix);
        }
        return new Cidr(address, prefix);
    }

    /** Whether the two ranges share any address. */
    public boolean overlaps(Cidr other) {
        if (network.length != other.network.length) {
            return false;
        }
        int common = Math.min(prefix, other.prefix);
        return masked(network, common).equals(masked(other.network, common));
    }

    /** Whether the address (bytes as {@link IpLiterals#parse} gives them) is in this range. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        return masked(address, prefix).equals(masked(network, prefix));
    }

    private static BigInteger masked(byte[] address, int prefix) {
        int bits = address.length * 8;
        BigInteger mask = prefix == 0
                ? BigInteger.ZERO
                : BigInteger.ONE
                        .shiftLeft(bits)
                        .subtract(BigInteger.ONE)
                        .shiftRight(bits - prefix)
                        .shiftLeft(bits - prefix);
        return new BigInteger(1, address).and(mask);
    }

    private static String format(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        System.arraycopy(
                raw,
                Math.max(0, raw.length - length),
                bytes,
                Math.max(0, length - raw.length),
                Math.min(length, raw.length));
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
