package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LibvirtUriTest {

    @Test
    void buildsTheSshUriFromTheInstallerSettings() {
        assertEquals(
                "qemu+ssh://edge@10.0.0.5/system?keyfile=/etc/edgefleet/id_ed25519"
                        + "&socket=/var/run/libvirt/libvirt-sock&no_tty=1",
                LibvirtUri.qemuSsh(
                        "edge",
                        "10.0.0.5",
                        Path.of("/etc/edgefleet/id_ed25519"),
                        Path.of("/var/run/libvirt/libvirt-sock"),
                        null));
        assertEquals(
                "qemu+ssh://root@host-1.example.org/system?keyfile=/k&no_tty=1",
                LibvirtUri.qemuSsh("root", "host-1.example.org", Path.of("/k"), null, null));
    }

    @Test
    void theHostKeyIsAlwaysVerifiedWithThePinnedKeysWhenThereAreAny() {
        assertEquals(
                "qemu+ssh://root@127.0.0.1/system?keyfile=/k&command=/opt/edgefleet-gateway/state/libvirt-ssh&no_tty=1",
                LibvirtUri.qemuSsh(
                        "root", "127.0.0.1", Path.of("/k"), null, Path.of("/opt/edgefleet-gateway/state/libvirt-ssh")));
        assertThrows(
                IllegalArgumentException.class,
                () -> LibvirtUri.qemuSsh("root", "127.0.0.1", Path.of("/k"), null, Path.of("libvirt-ssh")));
    }

    @Test
    void ipv6AddressesGoIntoBrackets() {
        assertEquals(
                "qemu+ssh://edge@[fd00::5]/system?keyfile=/k&no_tty=1",
                LibvirtUri.qemuSsh("edge", "fd00::5", Path.of("/k"), null, null));
        assertEquals(
                "qemu+ssh://edge@[2001:db8::1]/system?keyfile=/k&no_tty=1",
                LibvirtUri.qemuSsh("edge", "[2001:DB8::1]", Path.of("/k"), null, null));
        URI uri = URI.create(LibvirtUri.qemuSsh("edge", "fd00::5", Path.of("/k"), null, null));
        assertEquals("[fd00::5]", uri.getHost());
    }

    @Test
    void pathsAreEscapedSoThatTheyReadBackUnchanged() {
        Path key = Path.of("/etc/edge fleet/key&socket=/tmp/evil#frag+plus%20?é");
        Path socket = Path.of("/run/lib virt/sock;x=1");
        String built = LibvirtUri.qemuSsh("edge_1", "192.168.1.20", key, socket, null);
        assertEquals(
                "qemu+ssh://edge_1@192.168.1.20/system?keyfile=/etc/edge%20fleet/key%26socket%3D/tmp/evil%23frag%2Bplus%2520%3F%C3%A9"
                        + "&socket=/run/lib%20virt/sock%3Bx%3D1&no_tty=1",
                built);

        URI uri = URI.create(built); // a valid URI
        assertEquals("qemu+ssh", uri.getScheme());
        assertEquals("edge_1", uri.getUserInfo());
        assertEquals("192.168.1.20", uri.getHost());
        assertEquals("/system", uri.getPath());
        assertEquals(null, uri.getFragment());
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(Map.of("keyfile", key.toString(), "socket", socket.toString(), "no_tty", "1"), params);
    }

    @Test
    void rejectsBadUsersHostsAndPaths() {
        Path k = Path.of("/k");
        for (String user :
                new String[] {null, "", "Root", "1user", "ed ge", "edge@evil", "a".repeat(33), "edge/x", "edge:pw"}) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> LibvirtUri.qemuSsh(user, "10.0.0.1", k, null, null),
                    "user " + user);
        }
        for (String host : new String[] {
            null,
            "",
            "10.0.0.256",
            "evil/host",
            "host@x",
            "a b",
            "[10.0.0.1]",
            "fd00::g",
            "fe80::1%eth0",
            "host?x=1",
            "-host",
            "host#",
            "[::1"
        }) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> LibvirtUri.qemuSsh("edge", host, k, null, null),
                    "host " + host);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> LibvirtUri.qemuSsh("edge", "10.0.0.1", Path.of("relative/key"), null, null));
        assertThrows(
                IllegalArgumentException.class, () -> LibvirtUri.qemuSsh("edge", "10.0.0.1", k, Path.of("sock"), null));
        assertThrows(
                IllegalArgumentException.class,
                () -> LibvirtUri.qemuSsh("edge", "10.0.0.1", Path.of("/k\nx"), null, null));
    }
}
