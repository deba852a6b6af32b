package io.edgefleet.gateway.proxy;

import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.net.IpLiterals;
import io.edgefleet.events.payload.ProxySettings;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which of the gateway's own connections go through the installer's proxy. TLS connections (MQTT over TLS,
 * enrolment and renewal, https object stores) use {@code --https-proxy}, or {@code --http-proxy} when only that one
 * is given; plain http connections use {@code --http-proxy}. A destination that {@code --no-proxy} names goes direct.
 * The proxy itself is always spoken to in plain HTTP: a CONNECT tunnel for TLS (the proxy sees only TLS), an
 * absolute-form request for plain http.
 * <p>
 * {@code --no-proxy} entries, as most tools read them: {@code *} (nothing is proxied), a host name (that host and its
 * subdomains), {@code .corp.local} or {@code *.corp.local} (subdomains only), an IP literal, or a CIDR range (IP
 * literals inside it). Host names are compared as given, never resolved.
 */
public final class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    public static final ProxyRoutes DIRECT = new ProxyRoutes(null, null, List.of());

    private final InetSocketAddress httpProxy;
    private final InetSocketAddress httpsProxy;
    private final List<String> noProxy;

    private ProxyRoutes(InetSocketAddress httpProxy, InetSocketAddress httpsProxy, List<String> noProxy) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.noProxy = noProxy.stream()
                .map(e -> e.trim().toLowerCase(Locale.ROOT))
                .filter(e -> !e.isEmpty())
                .toList();
    }

    public static ProxyRoutes of(ProxySettings settings) {
        if (settings == null) {
            return DIRECT;
        }
        return new ProxyRoutes(
                address(settings.httpProxy()),
                address(settings.httpsProxy()),
                settings.noProxy() == null ? List.of() : settings.noProxy());
    }

    /** The proxy for a TLS connection to {@code host}, if one applies. */
    public Optional<InetSocketAddress> forTls(String host) {
        InetSocketAddress proxy = httpsProxy != null ? httpsProxy : httpProxy;
        return proxy == null || bypassed(host) ? Optional.empty() : Optional.of(proxy);
    }

    /** The proxy for a plain http connection to {@code host}, if one applies. */
    public Optional<InetSocketAddress> forPlainHttp(String host) {
        return httpProxy == null || bypassed(host) ? Optional.empty() : Optional.of(httpProxy);
    }

    /** The proxy for an http or https URL, if one applies. */
    public Optional<InetSocketAddress> forUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "https", "ssl", "mqtts", "wss" -> forTls(uri.getHost());
            case "http", "ws" -> forPlainHttp(uri.getHost());
            default -> Optional.empty();
        };
    }

    /** For {@code java.net.http} clients: the same rules. */
    public ProxySelector selector() {
        return new GatewayProxySelector(this);
    }

    /** Whether {@code --no-proxy} sends connections to {@code host} direct. */
    public boolean bypassed(String host) {
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        byte[] ip = IpLiterals.parse(h);
        for (String entry : noProxy) {
            if (matches(entry, h, ip)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String host, byte[] ip) {
        if (entry.equals("*")) {
            return true;
        }
        if (entry.contains("/")) { // a CIDR range: only IP literals can fall inside it
            if (ip == null) {
                return false;
            }
            try {
                Cidr range = Cidr.parse(entry);
                return range.overlaps(new Cidr(ip, ip.length * 8));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String e = entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
        if (e.startsWith("*.")) {
            e = e.substring(1);
        }
        if (e.startsWith(".")) {
            return host.endsWith(e);
        }
        byte[] entryIp = IpLiterals.parse(e);
        if (entryIp != null || ip != null) {
            return entryIp != null && ip != null && Arrays.equals(entryIp, ip);
        }
        return host.equals(e) || host.endsWith("." + e);
    }

    /** {@code http://host[:port]} → an unresolved address (the proxy's name is resolved when connecting). */
    private static InetSocketAddress address(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri = URI.create(url.trim());
        if (uri.getUserInfo() != null) {
            LOG.warnf(
                    "the proxy %s:%d is used without the credentials in its URL: the gateway's own connections do not"
                            + " authenticate to proxies (the nodes still get the full URL)",
                    uri.getHost(), uri.getPort());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(uri.getHost(), port);
    }

    @Override
    public String toString() {
        return "proxies: http " + httpProxy + ", https " + httpsProxy + ", none for " + noProxy;
    }
}
