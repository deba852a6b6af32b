package io.edgefleet.cluster.service;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literals and CIDR ranges, parsed without ever resolving a name. */
public final class Net {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** A DNS name: labels of letters, digits and '-', dot-separated. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private Net() {
    }

    /** The address bytes of an IPv4 or IPv6 literal, or null when it is not one. */
    public static byte[] ip(String text) {
        if (text == null) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.contains(":") && IPV6.matcher(text).matches())) {
            return null; // never hand a name to InetAddress: it would resolve it
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static boolean isHostOrIp(String text) {
        return text != null && (ip(text) != null || HOSTNAME.matcher(text).matches());
    }

    /** A CIDR range like {@code 10.96.0.0/12}. */
    public record Cidr(byte[] network, int prefix) {

        /** @throws IllegalArgumentException when it is not a CIDR range */
        public static Cidr parse(String text) {
            int slash = text == null ? -1 : text.indexOf('/');
            byte[] address = slash < 0 ? null : ip(text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR range like 10.96.0.0/12");
            }
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            Cidr cidr = new Cidr(address, prefix);
            if (!masked(address, prefix).equals(new BigInteger(1, address))) {
                throw new IllegalArgumentException("'" + text + "' has host bits set; a CIDR range names its network address");
            }
            return cidr;
        }

        /** Whether the two ranges share any address. */
        public boolean overlaps(Cidr other) {
            if (network.length != other.network.length) {
                return false;
            }
            int common = Math.min(prefix, other.prefix);
            return masked(network, common).equals(masked(other.network, common));
        }

        private static BigInteger masked(byte[] address, int prefix) {
            int bits = address.length * 8;
            BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            BigInteger mask = all.xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask);
        }

        public boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            return masked(address, prefix).equals(masked(network, prefix));
        }
    }
}
