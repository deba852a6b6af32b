package io.edgefleet.gateway.install;

import io.edgefleet.gateway.nodes.libvirt.LibvirtUri;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Debian packages a virtualized appliance's gateway needs, found by the files they install, so that the installer
 * names every missing one in its one error line before it writes anything (the gateway would otherwise start and fail
 * with, say, "sh: 1: nc: not found"). The libvirt host's own packages are checked only when that host is this
 * machine ({@code -i} one of its addresses, or {@code --libvirt-uri qemu:///system}): a remote one is reached over SSH
 * and checked by whoever set it up. With {@code qemu:///system} no SSH is involved, so neither are the SSH packages.
 */
public final class Prerequisites {

    /**
     * Something the gateway uses, the package that brings it, and where that package puts it; {@code ssh}: needed only
     * when libvirt is reached over SSH ({@code qemu+ssh}).
     */
    record Need(String pkg, String why, List<Path> anyOf, boolean ssh) {

        Need(String pkg, String why, List<Path> anyOf) {
            this(pkg, why, anyOf, false);
        }
    }

    private static final List<Need> GATEWAY = List.of(
            new Need(
                    "openssh-client",
                    "ssh: libvirt's qemu+ssh transport runs it",
                    List.of(Path.of("/usr/bin/ssh")),
                    true),
            new Need(
                    "libvirt0",
                    "the libvirt client library the gateway calls",
                    List.of(
                            Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0"),
                            Path.of("/usr/lib/aarch64-linux-gnu/libvirt.so.0"),
                            Path.of("/usr/lib64/libvirt.so.0"),
                            Path.of("/usr/lib/libvirt.so.0"))));

    private static final List<Need> LIBVIRT_HOST = List.of(
            new Need(
                    "libvirt-daemon-system",
                    "libvirtd",
                    List.of(Path.of("/usr/sbin/libvirtd"), Path.of("/usr/sbin/virtqemud"))),
            new Need(
                    "openssh-server",
                    "sshd: the gateway reaches libvirt over SSH",
                    List.of(Path.of("/usr/sbin/sshd")),
                    true),
            new Need(
                    "netcat-openbsd",
                    "nc: libvirt over SSH with socket= runs it on the host",
                    List.of(Path.of("/usr/bin/nc"), Path.of("/bin/nc")),
                    true),
            new Need(
                    "dnsmasq-base",
                    "dnsmasq: without it no NAT network of libvirt starts, not even 'default'",
                    List.of(Path.of("/usr/sbin/dnsmasq"))));

    private Prerequisites() {}

    /**
     * What is missing, each as {@code package (why)}, in a stable order; empty when nothing is.
     *
     * @param libvirtHere whether the libvirt host is this machine
     * @param overSsh     whether the gateway reaches libvirt over SSH ({@code qemu+ssh}); false: {@code qemu:///system}
     * @param exists      whether a file is there ({@link Files#exists} on a real machine)
     */
    static List<String> missing(boolean libvirtHere, boolean overSsh, Predicate<Path> exists) {
        List<Need> needs = new ArrayList<>(GATEWAY);
        if (libvirtHere) {
            needs.addAll(LIBVIRT_HOST);
        }
        return needs.stream()
                .filter(n -> overSsh || !n.ssh())
                .filter(n -> n.anyOf().stream().noneMatch(exists))
                .map(n -> n.pkg() + " (" + n.why() + ")")
                .toList();
    }

    /**
     * Refuses a virtualized installation that lacks a package, naming all of them and the command that adds them.
     *
     * @param ip    the libvirt host ({@code -i}) reached over SSH, or null: {@code qemu:///system}, libvirt on this
     *              machine without SSH
     */
    static void requireForVirtual(String ip) {
        boolean overSsh = ip != null;
        refuseMissing(
                overSsh ? "-v true" : "-v true --libvirt-uri " + LibvirtUri.LOCAL_SYSTEM,
                missing(!overSsh || isThisMachine(ip), overSsh, Files::exists));
    }

    static void refuseMissing(String what, List<String> missing) {
        if (!missing.isEmpty()) {
            Set<String> packages = new LinkedHashSet<>();
            missing.forEach(m -> packages.add(m.substring(0, m.indexOf(' '))));
            throw new IllegalArgumentException(
                    what + ": this machine lacks " + String.join(", ", missing) + "; install them (apt-get install "
                            + String.join(" ", packages) + ") and run the installer again");
        }
    }

    /** Whether {@code ip} is an address of this machine (loopback or one of its interfaces). */
    static boolean isThisMachine(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip); // an IP literal: no lookup
            return address.isLoopbackAddress()
                    || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
