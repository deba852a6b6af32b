package io.edgefleet.gateway.install;

import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.net.IpLiterals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of installer input. Each failure is an {@link IllegalArgumentException} whose message is the one line shown. */
public final class InstallerChecks {

    public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");
    private static final Pattern SSH_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern HOST_OPTIONAL_PORT =
            Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
    private static final Pattern REGISTRATION_TOKEN = Pattern.compile("eft_[A-Za-z0-9_-]{43}");
    private static final Pattern NO_PROXY_ENTRY = Pattern.compile("[A-Za-z0-9.*:/_\\[\\]-]+");

    private InstallerChecks() {}

    public static String ip(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-i/--ip is required: the IP address of this machine");
        }
        if (IpLiterals.parse(value) == null) {
            throw new IllegalArgumentException("-i/--ip '" + value + "' is not an IPv4 or IPv6 address");
        }
        return value;
    }

    public static String deviceId(String value) {
        if (!DEVICE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("-d/--deviceid '" + value
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        }
        return value;
    }

    /**
     * {@code -a}: the management plane's edge endpoint (appliance-service's enrolment API, HTTPS), as
     * {@code host[:port]} (port 443 by default) or {@code https://host[:port][/base]}; returns it as an https URL.
     */
    public static String edgeEndpoint(String value) {
        String problem = "-a/--apiurl '" + value
                + "' must be the management plane's edge endpoint: host[:port] or https://host[:port]";
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "-a/--apiurl is required: the management plane's edge endpoint, host[:port] or https://host[:port]");
        }
        String text = value.trim();
        if (text.regionMatches(true, 0, "http://", 0, 7)) {
            throw new IllegalArgumentException("-a/--apiurl '" + value
                    + "' must use HTTPS: the appliance enrols over TLS (its registration token and certificate request"
                    + " never cross the network in clear; the edge endpoint serves nothing else, --insecure or not)");
        }
        if (!text.regionMatches(true, 0, "https://", 0, 8)) {
            if (!HOST_OPTIONAL_PORT.matcher(text).matches()) {
                throw new IllegalArgumentException(problem);
            }
            text = "https://" + text;
        }
        try {
            URI uri = new URI(text);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            if (uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getPort() > 65535
                    || uri.getPort() == 0) {
                throw new IllegalArgumentException(problem);
            }
            int port = uri.getPort() < 0 ? 443 : uri.getPort();
            return "https://" + uri.getRawAuthority().replaceAll(":\\d+$", "") + ":" + port + path;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A registration token as appliance-service issues it (docs/edge-link.md): {@code eft_} and 43 base64url characters. */
    public static String registrationToken(String value, String flag) {
        if (value == null || !REGISTRATION_TOKEN.matcher(value.strip()).matches()) {
            // never echo the value: it may be a real secret with a typo
            throw new IllegalArgumentException(
                    flag + " is not a registration token (eft_ followed by 43 letters, digits, '-' or '_')");
        }
        return value.strip();
    }

    public static String mode(String value) {
        if (!"online".equals(value) && !"offline".equals(value)) {
            throw new IllegalArgumentException("-m/--mode '" + value + "' must be online or offline");
        }
        return value;
    }

    public static String sshUser(String value) {
        if (!SSH_USER.matcher(value).matches()) {
            throw new IllegalArgumentException("-u/--sshuser '" + value + "' is not a valid user name");
        }
        return value;
    }

    /** A readable private key file (PEM or OpenSSH format). */
    public static Path sshKey(Path file) {
        String text = readable(file, "-s/--sshkey");
        if (!text.startsWith("-----BEGIN ") || !text.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException("-s/--sshkey " + file + " is not a PEM or OpenSSH private key");
        }
        return file;
    }

    /** A readable file of one or more PEM X.509 certificates. */
    public static Path caCert(Path file) {
        String text = readable(file, "--custom-cacert");
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(
                    "--custom-cacert " + file + " is not a PEM certificate (no BEGIN CERTIFICATE block)");
        }
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "--custom-cacert " + file + " is not a valid PEM certificate: " + e.getMessage());
        }
        return file;
    }

    public static Path readableFile(Path file, String flag) {
        readable(file, flag);
        return file;
    }

    /** Pod and service CIDRs must be valid and must not overlap. */
    public static void cidrs(String podCidr, String serviceCidr) {
        Cidr pods = podCidr == null ? null : cidr(podCidr, "--pod-cidr");
        Cidr services = serviceCidr == null ? null : cidr(serviceCidr, "--service-cidr");
        if (pods != null && services != null && pods.overlaps(services)) {
            throw new IllegalArgumentException(
                    "--pod-cidr " + podCidr + " and --service-cidr " + serviceCidr + " overlap");
        }
    }

    /**
     * An http:// or https:// proxy URL with a host, e.g. http://10.10.132.89:3128. A plain http proxy is fine (TLS
     * connections pass through it in a CONNECT tunnel), but one with credentials would get them in clear (the nodes
     * send them as Proxy-Authorization): refused unless {@code insecure}.
     */
    public static String proxyUrl(String value, String flag, boolean insecure) {
        URI uri = null;
        try {
            uri = new URI(value);
            String scheme = uri.getScheme();
            boolean ok = ("http".equals(scheme) || "https".equals(scheme))
                    && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath()))
                    && uri.getQuery() == null
                    && uri.getFragment() == null
                    && uri.getPort() <= 65535;
            if (!ok) {
                uri = null;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri == null) {
            throw new IllegalArgumentException(
                    flag + " '" + withoutPassword(value) + "' must be a URL like http://proxy.example.com:3128");
        }
        if ("http".equals(uri.getScheme()) && uri.getRawUserInfo() != null && !insecure) {
            throw new IllegalArgumentException(flag + " '" + withoutPassword(value)
                    + "' sends its credentials in clear (plain http to the proxy): use an https:// proxy URL, a "
                    + "proxy without credentials, or give --insecure to accept it");
        }
        return value;
    }

    /**
     * Where the gateway serves its metrics: {@code IP:PORT} ({@code [IPv6]:PORT}), or {@code off} (null). Loopback
     * unless {@code insecure}: the endpoint has no authentication, so on another address anyone on the site's network
     * could read it.
     */
    public static String metricsListen(String value, boolean insecure) {
        if ("off".equals(value)) {
            return null;
        }
        InetSocketAddress address = metricsAddress(value, "--metrics-listen");
        if (!address.getAddress().isLoopbackAddress() && !insecure) {
            throw new IllegalArgumentException("--metrics-listen '" + value + "' is not a loopback address: the "
                    + "metrics would be open to the site's network without authentication; give --insecure to accept "
                    + "it");
        }
        return value;
    }

    /** {@code IP:PORT} or {@code [IPv6]:PORT} as a socket address, never asking DNS. */
    public static InetSocketAddress metricsAddress(String value, String name) {
        String problem = name + " '" + value + "' must be IP:PORT, e.g. 127.0.0.1:9464 ([IPv6]:PORT for IPv6)";
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon < 1 || !value.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException(problem);
        }
        String host = value.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        byte[] ip = IpLiterals.parse(bracketed ? host.substring(1, host.length() - 1) : host);
        int port = Integer.parseInt(value.substring(colon + 1));
        if (ip == null || (ip.length == 16) != bracketed || port < 1 || port > 65535) {
            throw new IllegalArgumentException(problem);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) { // only for a wrong length, which parse never returns
            throw new IllegalArgumentException(problem, e);
        }
    }

    /** The URL with the password of its user info masked, to be shown. */
    static String withoutPassword(String url) {
        return url.replaceFirst("(://[^/@:]*):[^/@]*@", "$1:***@");
    }

    public static List<String> noProxy(List<String> entries) {
        for (String entry : entries) {
            if (entry.isEmpty() || !NO_PROXY_ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException(
                        "--no-proxy entry '" + entry + "' is not a host, domain, IP or CIDR");
            }
        }
        return entries;
    }

    private static Cidr cidr(String value, String flag) {
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " " + e.getMessage());
        }
    }

    private static String readable(Path file, String flag) {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is not a readable file");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) { // also a binary file (MalformedInputException)
            throw new IllegalArgumentException(flag + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
