package io.edgefleet.cluster.service;

import io.edgefleet.events.net.IpLiterals;

import java.util.regex.Pattern;

/** Host names and IP literals of a cluster's cloud config (NTP servers), checked without ever resolving a name. */
public final class HostNameRules {

    /** A DNS name: labels of letters, digits and '-', dot-separated. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private HostNameRules() {}

    public static boolean isHostOrIp(String text) {
        return text != null
                && (IpLiterals.parse(text) != null || HOSTNAME.matcher(text).matches());
    }
}
