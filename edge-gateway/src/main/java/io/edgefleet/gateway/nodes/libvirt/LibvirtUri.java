package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeSpecChecks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * libvirt connection URIs. The gateway reaches the appliance's libvirtd over SSH when it is not on the
 * same machine (or to use a dedicated key): {@code qemu+ssh://USER@HOST/system?keyfile=..&socket=..&command=..&no_tty=1}.
 * The host key is always verified (never {@code no_verify}): against the keys pinned at install when {@code command}
 * names the gateway's ssh wrapper ({@link PinnedSsh}), else against ssh's own known_hosts files.
 */
public final class LibvirtUri {

    /** Unix user names as Debian's adduser accepts them by default. */
    public static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private LibvirtUri() {}

    /** The local system daemon, on its own socket: a gateway on the libvirt host (installer {@code --libvirt-uri}). */
    public static final String LOCAL_SYSTEM = "qemu:///system";

    /**
     * {@code qemu+ssh://USER@HOST/system?keyfile=KEY&socket=SOCKET&command=SSH&no_tty=1}.
     *
     * @param user    ssh user, like {@code [a-z_][a-z0-9_-]{0,31}}
     * @param host    IPv4 or IPv6 address (IPv6 with or without brackets) or a DNS name
     * @param keyFile absolute path of the ssh private key
     * @param socket  absolute path of libvirtd's socket on the remote host, or null for libvirt's default
     * @param ssh     absolute path of the ssh command libvirt runs ({@link PinnedSsh}), or null for {@code ssh}
     * @throws IllegalArgumentException when a value is not valid
     */
    public static String qemuSsh(String user, String host, Path keyFile, Path socket, Path ssh) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException(
                    "ssh user '" + NodeSpecChecks.shown(user) + "' must match " + USER.pattern());
        }
        StringBuilder uri = new StringBuilder("qemu+ssh://")
                .append(user)
                .append('@')
                .append(hostPart(host))
                .append("/system");
        uri.append("?keyfile=").append(escape(absolute(keyFile, "ssh key file")));
        if (socket != null) {
            uri.append("&socket=").append(escape(absolute(socket, "libvirt socket")));
        }
        if (ssh != null) {
            uri.append("&command=").append(escape(absolute(ssh, "ssh command")));
        }
        // no_tty: never prompt (an unknown host key is refused, not asked about); no no_verify: never trust on first
        // use
        uri.append("&no_tty=1");
        return uri.toString();
    }

    static String hostPart(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is missing");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean bracketed = !bare.equals(host);
        if (bare.indexOf(':') >= 0) {
            // brackets make the JDK parse a literal and never resolve a name
            if (!IPV6.matcher(bare).matches() || literal("[" + bare + "]") == null) {
                throw new IllegalArgumentException("host '" + NodeSpecChecks.shown(host) + "' is not an IPv6 address");
            }
            return "[" + bare.toLowerCase() + "]";
        }
        if (bracketed) {
            throw new IllegalArgumentException(
                    "host '" + NodeSpecChecks.shown(host) + "': only IPv6 addresses go in brackets");
        }
        if (IPV4.matcher(bare).matches()) {
            for (String octet : bare.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("host '" + bare + "' is not an IPv4 address");
                }
            }
            if (!(literal(bare) instanceof Inet4Address)) {
                throw new IllegalArgumentException("host '" + bare + "' is not an IPv4 address");
            }
            return bare;
        }
        if (HOSTNAME.matcher(bare).matches()) {
            return bare;
        }
        throw new IllegalArgumentException(
                "host '" + NodeSpecChecks.shown(host) + "' must be an IP address or a host name");
    }

    /** Parses an address literal (never a DNS lookup: callers pass valid dotted quads or bracketed IPv6). */
    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String absolute(Path path, String what) {
        String s = path.toString();
        if (!path.isAbsolute() || s.indexOf('\0') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " '" + NodeSpecChecks.shown(s) + "' must be an absolute path");
        }
        return s;
    }

    /** RFC 3986 percent-encoding of a query value: everything but unreserved characters and '/'. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '/') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
