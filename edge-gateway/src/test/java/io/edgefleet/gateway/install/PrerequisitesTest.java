package io.edgefleet.gateway.install;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrerequisitesTest {

    private static final Set<Path> CLIENT_ONLY =
            Set.of(Path.of("/usr/bin/ssh"), Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0"));

    @Test
    void aRemoteLibvirtHostNeedsOnlyTheClientSideHere() {
        assertEquals(List.of(), Prerequisites.missing(false, true, CLIENT_ONLY::contains));
        assertEquals(
                List.of("openssh-client (ssh: libvirt's qemu+ssh transport runs it)"),
                Prerequisites.missing(false, true, p -> p.toString().endsWith("libvirt.so.0")));
    }

    @Test
    void libvirtOnThisMachineNeedsItsDaemonSshdNetcatAndDnsmasqEachNamed() {
        List<String> missing = Prerequisites.missing(true, true, CLIENT_ONLY::contains);
        assertEquals(
                List.of("libvirt-daemon-system", "openssh-server", "netcat-openbsd", "dnsmasq-base"),
                missing.stream().map(m -> m.substring(0, m.indexOf(' '))).toList());
        assertTrue(missing.get(2).contains("nc: libvirt over SSH with socket= runs it"), missing.get(2));
        // any one of a package's files will do (libvirtd or the modular virtqemud; nc in /bin or /usr/bin)
        assertEquals(
                List.of(),
                Prerequisites.missing(
                        true,
                        true,
                        p -> CLIENT_ONLY.contains(p)
                                || Set.of("/usr/sbin/virtqemud", "/usr/sbin/sshd", "/bin/nc", "/usr/sbin/dnsmasq")
                                        .contains(p.toString())));
    }

    @Test
    void qemuSystemOnThisMachineNeedsTheDaemonAndDnsmasqButNothingOfSsh() {
        // no ssh, sshd or nc on this machine: none of them is asked for without SSH
        Set<Path> libraryOnly = Set.of(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0"));
        List<String> missing = Prerequisites.missing(true, false, libraryOnly::contains);
        assertEquals(
                List.of("libvirt-daemon-system", "dnsmasq-base"),
                missing.stream().map(m -> m.substring(0, m.indexOf(' '))).toList());
        assertTrue(missing.get(1).contains("without it no NAT network of libvirt starts"), missing.get(1));
        assertEquals(
                List.of("libvirt0 (the libvirt client library the gateway calls)"),
                Prerequisites.missing(
                        true,
                        false,
                        p -> Set.of("/usr/sbin/libvirtd", "/usr/sbin/dnsmasq").contains(p.toString())));
        assertEquals(
                List.of(),
                Prerequisites.missing(
                        true,
                        false,
                        p -> libraryOnly.contains(p)
                                || Set.of("/usr/sbin/virtqemud", "/usr/sbin/dnsmasq")
                                        .contains(p.toString())));
    }

    @Test
    void theRefusalNamesEveryMissingPackageAndTheAptGetLine() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Prerequisites.refuseMissing(
                        "-v true --libvirt-uri qemu:///system", Prerequisites.missing(true, false, p -> false)));
        assertEquals(
                "-v true --libvirt-uri qemu:///system: this machine lacks libvirt0 (the libvirt client library the"
                        + " gateway calls), libvirt-daemon-system (libvirtd), dnsmasq-base (dnsmasq: without it no NAT"
                        + " network of libvirt starts, not even 'default'); install them (apt-get install libvirt0"
                        + " libvirt-daemon-system dnsmasq-base) and run the installer again",
                e.getMessage());
    }

    @Test
    void loopbackAndNoOtherAddressIsThisMachine() {
        assertTrue(Prerequisites.isThisMachine("127.0.0.1"));
        assertTrue(Prerequisites.isThisMachine("::1"));
        assertFalse(Prerequisites.isThisMachine("192.0.2.77")); // TEST-NET-1: never a local interface
    }
}
