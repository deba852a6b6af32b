package io.edgefleet.events.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address literals, parsed without ever resolving a name: a request field must never make a service ask DNS. */
public final class IpLiterals {

    /** Dotted decimal without leading zeros: "010" is octal to some parsers and decimal to others. */
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiterals() {}

    /**
     * The address bytes of an IPv4 or IPv6 literal, or null when it is not one. An IPv4-mapped IPv6 literal
     * ({@code ::ffff:10.0.0.1}) gives the 4 bytes of its IPv4 address, as {@link InetAddress} has it.
     */
    public static byte[] parse(String text) {
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
}
