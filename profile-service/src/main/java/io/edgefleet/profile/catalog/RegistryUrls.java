package io.edgefleet.profile.catalog;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which registry URLs the service may fetch. Tenants choose them, so this guards against the service
 * being used to reach what only it can reach: link-local addresses (cloud metadata endpoints), the
 * unspecified address, multicast, and loopback unless explicitly allowed (tests and single-machine setups).
 * Private networks are allowed on purpose: on-premises registries live there.
 */
public final class RegistryUrls {

    private RegistryUrls() {}

    /** @return why {@code url} cannot be a registry URL (no DNS lookup), or null when it can */
    public static String problem(String url, boolean allowLoopback) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http:// or https:// URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain credentials";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must not have a query or fragment";
        }
        String host = uri.getHost();
        if (host.startsWith("[") || host.matches("[0-9.]+")) { // an IP literal: check it now
            try {
                return blocked(InetAddress.getByName(host.replace("[", "").replace("]", "")), allowLoopback);
            } catch (Exception e) {
                return "has an invalid IP address";
            }
        }
        if (!allowLoopback && host.equalsIgnoreCase("localhost")) {
            return "must not point at this service's own machine";
        }
        return null;
    }

    /** @return why the service must not connect to {@code address}, or null */
    public static String blocked(InetAddress address, boolean allowLoopback) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "must not point at a link-local, unspecified or multicast address (" + address.getHostAddress()
                    + ")";
        }
        if (address.isLoopbackAddress() && !allowLoopback) {
            return "must not point at this service's own machine (" + address.getHostAddress() + ")";
        }
        return null;
    }

    /** The index of a registry: the URL itself when it names a .yaml file, else {@code <url>/index.yaml}. */
    public static URI index(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return URI.create(url);
        }
        return URI.create(url.endsWith("/") ? url + "index.yaml" : url + "/index.yaml");
    }
}
