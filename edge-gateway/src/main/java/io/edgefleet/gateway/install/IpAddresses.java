package io.edgefleet.gateway.install;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address literals, parsed without ever asking DNS. */
public final class IpAddresses {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAddresses() {}

    /** The address bytes, or null when {@code text} is not an IPv4 or IPv6 literal. */
    public static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return bytes;
        }
        if (text.contains(":") && IPV6_CHARS.matcher(text).matches()) {
            try { // a literal with ':' is parsed, never resolved
                InetAddress address = InetAddress.getByName(text);
                return address instanceof Inet6Address ? address.getAddress() : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
