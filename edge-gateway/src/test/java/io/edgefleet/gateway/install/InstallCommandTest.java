package io.edgefleet.gateway.install;

import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.EdgeGatewayMain;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.testing.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installer's flags: every bad value is one clear line and exit 2, before anything is written. */
class InstallCommandTest {

    @TempDir
    Path dir;

    Path target;
    Path secret;
    Path key;
    Path ca;
    Path tokenFile;
    Path knownHosts;
    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7aXfbwH4s0r2i3XlZ8GfMZt2R5m1wQ4j9oVJc3mK2p";
    static final String TOKEN = "eft_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0_-x";

    @BeforeEach
    void files() throws IOException {
        target = dir.resolve("target");
        secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        key = Files.writeString(
                dir.resolve("id_ed25519"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        ca = Files.writeString(dir.resolve("ca.crt"), TestPki.selfSigned());
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        knownHosts = Files.writeString(
                dir.resolve("known_hosts"), "10.10.10.10 " + HOST_KEY + "\n127.0.0.1 " + HOST_KEY + "\n");
    }

    record Outcome(int code, String out, String err) {}

    Outcome install(String... flags) {
        List<String> args = new ArrayList<>(List.of("install", "--target", target.toString(), "--no-start", "--"));
        args.addAll(Arrays.asList(flags));
        PrintStream out = System.out;
        PrintStream err = System.err;
        var outBytes = new ByteArrayOutputStream();
        var errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            int code = EdgeGatewayMain.execute(args.toArray(String[]::new));
            return new Outcome(
                    code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    String[] valid(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "-i", "10.10.10.10", "-d", "hospital-1", "-a", "edge.example.com", "--registration-token", TOKEN));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    void assertRefused(String expectedText, String... flags) {
        Outcome outcome = install(flags);
        assertEquals(2, outcome.code(), "exit code for " + List.of(flags) + ": " + outcome.err());
        String[] lines = outcome.err().strip().split("\n");
        assertEquals(1, lines.length, "one line: " + outcome.err());
        assertTrue(
                lines[0].startsWith("error: ") && lines[0].contains(expectedText),
                lines[0] + " should mention " + expectedText);
        assertFalse(Files.exists(target.resolve("edgefleet-gateway")), "nothing written for " + List.of(flags));
    }

    @Test
    void aVirtualizedInstallationOnTheLibvirtHostNamesEveryMissingDebianPackageBeforeWritingAnything()
            throws IOException {
        Path key = dir.resolve("libvirt-key");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        List<String> missing = Prerequisites.missing(true, true, Files::exists);
        String[] flags = {
            "-i",
            "127.0.0.1",
            "-d",
            "hospital-1",
            "-a",
            "edge.example.com",
            "--registration-token",
            TOKEN,
            "-v",
            "true",
            "-s",
            key.toString(),
            "-u",
            "root",
            "--ssh-known-hosts",
            knownHosts.toString(),
            "--no-start"
        };
        if (missing.isEmpty()) { // this machine has them all
            assertEquals(0, install(flags).code());
            return;
        }
        assertRefused("-v true: this machine lacks " + String.join(", ", missing), flags);
        assertRefused(
                "apt-get install " + missing.get(0).substring(0, missing.get(0).indexOf(' ')), flags);
    }

    @Test
    void aGatewayOnTheLibvirtHostUsesQemuSystemWithoutAnyOfTheSshSetUp() throws IOException {
        String[] local = valid("-v", "true", "--libvirt-uri", "qemu:///system");
        List<String> missing = Prerequisites.missing(true, false, Files::exists);
        if (!missing.isEmpty()) { // this machine lacks libvirtd or dnsmasq: named, nothing written
            assertRefused(
                    "-v true --libvirt-uri qemu:///system: this machine lacks " + String.join(", ", missing), local);
            return;
        }
        Outcome outcome = install(local);
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("virtualized, libvirt qemu:///system"), outcome.out());
        Path home = target.resolve("edgefleet-gateway");
        Path file = home.resolve("gateway.properties");
        GatewayConfig config = GatewayConfig.load(file);
        assertTrue(config.virtual());
        assertEquals("qemu:///system", config.libvirtUri(), "the gateway connects with it (NodeDrivers)");
        assertEquals(null, config.sshUser());
        assertEquals(null, config.sshKey());
        assertEquals(null, config.virtSock());
        assertEquals(null, GatewayConfig.sshKnownHosts(file), "no host key to pin");
        assertFalse(Files.exists(home.resolve("ssh_known_hosts")));

        // a re-run over SSH replaces it; back to qemu:///system drops the SSH settings again
        assertEquals(
                0,
                install(valid(
                                "-v",
                                "true",
                                "-s",
                                key.toString(),
                                "-u",
                                "ubuntu",
                                "--ssh-known-hosts",
                                knownHosts.toString()))
                        .code());
        assertEquals(null, GatewayConfig.load(file).libvirtUri());
        assertEquals(0, install(local).code());
        assertEquals(null, GatewayConfig.sshKnownHosts(file), Files.readString(file));
        assertEquals(null, GatewayConfig.load(file).sshUser());
    }

    @Test
    void qemuSystemIsRefusedWithTheSshFlagsWithoutDashVAndAsAnyOtherUri() {
        assertRefused("--libvirt-uri needs -v true", valid("--libvirt-uri", "qemu:///system"));
        assertRefused("--libvirt-uri needs -v true", valid("-v", "false", "--libvirt-uri", "qemu:///system"));
        assertRefused(
                "--libvirt-uri 'qemu+ssh://root@10.10.10.10/system' must be qemu:///system (libvirt on this machine)",
                valid("-v", "true", "--libvirt-uri", "qemu+ssh://root@10.10.10.10/system"));
        assertRefused(
                "--libvirt-uri 'qemu:///session' must be qemu:///system",
                valid("-v", "true", "--libvirt-uri", "qemu:///session"));
        // every SSH-only flag named at once, none silently ignored
        assertRefused(
                "--libvirt-uri qemu:///system reaches libvirt without SSH: -s/--sshkey, -u/--sshuser, "
                        + "--ssh-known-hosts, -x/--virtsock apply only over SSH",
                valid(
                        "-v",
                        "true",
                        "--libvirt-uri",
                        "qemu:///system",
                        "-s",
                        key.toString(),
                        "-u",
                        "ubuntu",
                        "--ssh-known-hosts",
                        knownHosts.toString(),
                        "-x",
                        "/run/libvirt/libvirt-sock"));
        assertRefused(
                "without SSH: -x/--virtsock apply only over SSH",
                valid("-v", "true", "--libvirt-uri", "qemu:///system", "-x", "/var/run/libvirt/libvirt-sock"));
        // and without it, -v true still needs the SSH flags, saying there is the other way
        assertRefused("or --libvirt-uri qemu:///system when libvirt runs on this machine", valid("-v", "true"));
    }

    @Test
    void dashVPrintsTheVersion() {
        Outcome outcome = install("-V");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(EdgeGateway.VERSION, outcome.out().strip());
    }

    @Test
    void everyBadValueIsRefusedBeforeAnythingIsWritten() throws IOException {
        assertRefused("-i/--ip is required", "-d", "x", "-a", "edge.example.com", "--registration-token", TOKEN);
        assertRefused("not an IPv4 or IPv6 address", valid("-i", "10.10.10.300"));
        assertRefused("not an IPv4 or IPv6 address", valid("--ip", "my-host.example.com"));
        assertRefused("-v true needs -s/--sshkey and -u/--sshuser", valid("-v", "true"));
        assertRefused("-v true needs", valid("--isvirtual", "true", "-u", "ubuntu"));
        assertRefused(
                "not a readable file",
                valid("-v", "true", "-s", dir.resolve("missing.pem").toString(), "-u", "ubuntu"));
        assertRefused("not a PEM or OpenSSH private key", valid("-v", "true", "-s", secret.toString(), "-u", "ubuntu"));
        assertRefused("not a valid user name", valid("-v", "true", "-s", key.toString(), "-u", "Ubuntu User"));
        // the libvirt host's SSH key is pinned at install, never trusted on first use
        assertRefused(
                "-v true needs --ssh-known-hosts FILE: the SSH host key of 10.10.10.10 is pinned at install",
                valid("-v", "true", "-s", key.toString(), "-u", "ubuntu"));
        Path other = Files.writeString(dir.resolve("other_hosts"), "10.10.10.11," + HOST_KEY + "\n");
        assertRefused(
                "--ssh-known-hosts " + other + ", line 1: not a known_hosts entry",
                valid("-v", "true", "-s", key.toString(), "-u", "ubuntu", "--ssh-known-hosts", other.toString()));
        Files.writeString(other, "# another host\n10.10.10.11,edge-2 " + HOST_KEY + "\n");
        assertRefused(
                "--ssh-known-hosts " + other + " has no host key for 10.10.10.10 (the libvirt host -i names)",
                valid("-v", "true", "-s", key.toString(), "-u", "ubuntu", "--ssh-known-hosts", other.toString()));
        assertRefused(
                "--ssh-known-hosts " + dir.resolve("missing") + " cannot be read",
                valid(
                        "-v",
                        "true",
                        "-s",
                        key.toString(),
                        "-u",
                        "ubuntu",
                        "--ssh-known-hosts",
                        dir.resolve("missing").toString()));
        assertRefused(
                "not a readable file",
                valid("--custom-cacert", dir.resolve("nope.crt").toString()));
        assertRefused("not a PEM certificate", valid("--custom-cacert", secret.toString()));
        Path broken = Files.writeString(
                dir.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n");
        assertRefused("not a valid PEM certificate", valid("--custom-cacert", broken.toString()));
        assertRefused("--pod-cidr", valid("--pod-cidr", "192.168.0.0"));
        assertRefused("prefix length", valid("--pod-cidr", "192.168.0.0/33"));
        assertRefused("host bits set", valid("--service-cidr", "10.96.0.1/12"));
        assertRefused("overlap", valid("--pod-cidr", "10.0.0.0/8", "--service-cidr", "10.96.0.0/12"));
        assertRefused("--http-proxy", valid("--http-proxy", "proxy.com:3128"));
        assertRefused("--https-proxy", valid("--https-proxy", "ftp://proxy.com"));
        assertRefused(
                "--https-proxy 'http://ops:***@proxy.com:3128' sends its credentials in clear",
                valid("--https-proxy", "http://ops:s3cret@proxy.com:3128"));
        assertRefused("or give --insecure", valid("--http-proxy", "http://ops:s3cret@proxy.com:3128"));
        assertRefused("--no-proxy entry", valid("--no-proxy", "10.0.0.1,bad host"));
        assertRefused("-m/--mode 'sometimes'", valid("-m", "sometimes"));
        assertRefused("Unknown option", valid("--colour", "red"));
        assertRefused("-d/--deviceid", valid("-d", "bad id!"));
        assertRefused("--metrics-listen 'localhost:9464' must be IP:PORT", valid("--metrics-listen", "localhost:9464"));
        assertRefused("must be IP:PORT", valid("--metrics-listen", "127.0.0.1"));
        assertRefused("must be IP:PORT", valid("--metrics-listen", "127.0.0.1:70000"));
        assertRefused("must be IP:PORT", valid("--metrics-listen", "::1:9464"));
        assertRefused("not a loopback address", valid("--metrics-listen", "10.10.10.10:9464"));
        assertRefused("give --insecure", valid("--metrics-listen", "0.0.0.0:9464"));
    }

    @Test
    void metricsAreServedOnLoopbackUnlessInsecureOrOff() throws IOException {
        Path file = target.resolve("edgefleet-gateway/gateway.properties");
        assertEquals(0, install(valid()).code());
        assertEquals("127.0.0.1:9464", GatewayConfig.load(file).metricsListen(), "the default");
        assertEquals(0, install(valid("--metrics-listen", "[::1]:19464")).code());
        assertEquals("[::1]:19464", GatewayConfig.load(file).metricsListen());
        assertEquals(
                0,
                install(valid("--metrics-listen", "10.10.10.10:9464", "--insecure"))
                        .code());
        assertEquals("10.10.10.10:9464", GatewayConfig.load(file).metricsListen(), "the site's network, on request");
        assertEquals(0, install(valid("--metrics-listen", "off")).code());
        assertEquals(null, GatewayConfig.load(file).metricsListen(), "not served");
        assertFalse(Files.readString(file).contains("metrics"), Files.readString(file));
    }

    @Test
    void theEdgeEndpointAndTheRegistrationTokenAreChecked() throws IOException {
        assertRefused("-a/--apiurl is required", "-i", "10.0.0.1", "-d", "x", "--registration-token", TOKEN);
        assertRefused("-a/--apiurl 'edge.example.com:99999'", valid("-a", "edge.example.com:99999"));
        assertRefused("-a/--apiurl 'bad host:443'", valid("-a", "bad host:443"));
        assertRefused("must use HTTPS", valid("-a", "http://edge.example.com"));
        assertRefused("--insecure or not", valid("-a", "http://edge.example.com", "--insecure"));
        assertRefused("-a/--apiurl 'https://edge.example.com/?x=1'", valid("-a", "https://edge.example.com/?x=1"));
        assertRefused(
                "--registration-token (or --registration-token-file) is required",
                "-i",
                "10.0.0.1",
                "-d",
                "x",
                "-a",
                "edge.example.com");
        assertRefused("--registration-token is not a registration token", valid("--registration-token", "eft_short"));
        Outcome typo = install(valid("--registration-token", TOKEN.substring(0, 40) + "!!!!!!!"));
        assertFalse(typo.err().contains(TOKEN.substring(4, 40)), "the token is never echoed: " + typo.err());
        assertRefused(
                "either --registration-token or --registration-token-file",
                valid("--registration-token-file", tokenFile.toString()));
        assertRefused(
                "--registration-token-file " + dir.resolve("none") + " is not a readable file",
                "-i",
                "10.0.0.1",
                "-d",
                "x",
                "-a",
                "edge.example.com",
                "--registration-token-file",
                dir.resolve("none").toString());
        assertRefused(
                "is not a registration token",
                "-i",
                "10.0.0.1",
                "-d",
                "x",
                "-a",
                "edge.example.com",
                "--registration-token-file",
                secret.toString());
    }

    @Test
    void theFlagsOfTheKafkaEraGatewayAreRefusedWithWhatReplacedThem() {
        assertRefused(
                "--tenant was removed: the appliance's tenant comes with its registration token",
                valid("--tenant", "tenant-a"));
        for (String flag : List.of("--client-id", "--client-secret-file", "--token-url", "--token-file")) {
            assertRefused("were removed: the gateway enrols with a registration token", valid(flag, secret.toString()));
        }
    }

    @Test
    void helpPrintsTheUsage() {
        Outcome outcome = install("--help");
        assertEquals(0, outcome.code());
        for (String flag : List.of(
                "--target",
                "-i, --ip",
                "-a, --apiurl",
                "-d, --deviceid",
                "-v, --isvirtual",
                "-s, --sshkey",
                "-u, --sshuser",
                "--ssh-known-hosts",
                "-x, --virtsock",
                "--libvirt-uri",
                "-m, --mode",
                "--pod-cidr",
                "--service-cidr",
                "--http-proxy",
                "--https-proxy",
                "--no-proxy",
                "--custom-cacert",
                "--registration-token",
                "--registration-token-file")) {
            assertTrue(outcome.out().contains(flag), "usage shows " + flag + ":\n" + outcome.out());
        }
        for (String removed : List.of("--tenant", "--client-id", "--token-url", "--token-file")) {
            assertFalse(outcome.out().contains(removed + " "), "usage hides " + removed);
        }
    }

    @Test
    void writesTheConfigurationWithEveryFlagTheTokenAndInstallsTheCa() throws Exception {
        Outcome outcome = install(valid(
                "-a",
                "edge.example.com:8443",
                "-v",
                "true",
                "-s",
                key.toString(),
                "-u",
                "ubuntu",
                "--ssh-known-hosts",
                knownHosts.toString(),
                "-x",
                "/run/libvirt/libvirt-sock",
                "-m",
                "offline",
                "--pod-cidr",
                "192.168.0.0/16",
                "--service-cidr",
                "10.96.0.0/12",
                "--http-proxy",
                "http://10.10.132.89:3128",
                "--https-proxy",
                "http://10.10.132.89:3128",
                "--no-proxy",
                "10.10.128.10,.spectrocloud.local,10.0.0.0/8",
                "--custom-cacert",
                ca.toString()));
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("enrols with the registration token when it starts"), outcome.out());

        Path home = target.resolve("edgefleet-gateway");
        Path file = home.resolve("gateway.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        GatewayConfig config = GatewayConfig.load(file);
        assertEquals("hospital-1", config.deviceId());
        assertEquals("https://edge.example.com:8443", config.edgeUrl());
        assertEquals(home.resolve("registration-token"), config.registrationTokenFile());
        assertEquals(TOKEN + "\n", Files.readString(config.registrationTokenFile()));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(config.registrationTokenFile())));
        assertFalse(Files.readString(file).contains(TOKEN), "the configuration holds no token");
        assertEquals("10.10.10.10", config.ip());
        assertTrue(config.virtual());
        assertEquals("ubuntu", config.sshUser());
        assertEquals(key.toAbsolutePath(), config.sshKey());
        assertEquals("/run/libvirt/libvirt-sock", config.virtSock());
        assertTrue(config.offline());
        assertEquals("192.168.0.0/16", config.podCidr());
        assertEquals("10.96.0.0/12", config.serviceCidr());
        assertEquals("http://10.10.132.89:3128", config.httpProxy());
        assertEquals(List.of("10.10.128.10", ".spectrocloud.local", "10.0.0.0/8"), config.noProxy());
        assertEquals(home.resolve("ca.pem"), config.caFile());
        assertEquals(Files.readString(ca), Files.readString(config.caFile()));
        assertEquals(home.resolve("state"), config.stateDir());
        // the host key is pinned: a copy of the file in the gateway's home, named in the configuration
        assertEquals(home.resolve("ssh_known_hosts"), GatewayConfig.sshKnownHosts(file));
        assertEquals(Files.readString(knownHosts), Files.readString(home.resolve("ssh_known_hosts")));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(home.resolve("truststore.p12"))) {
            trust.load(in, GatewayLauncher.TRUSTSTORE_PASSWORD.toCharArray());
        }
        assertTrue(trust.containsAlias("edgefleet-custom-ca-0"), "the custom CA is trusted");
        assertTrue(trust.size() > 1, "next to the JDK's CAs");
    }

    @Test
    void offlineSaysWhereNodeImagesComeFrom() throws IOException {
        Outcome bare = install(valid("-m", "offline"));
        assertEquals(0, bare.code(), bare.err());
        assertTrue(bare.out().contains("offline: the bundle carries no node images"), bare.out());
        assertTrue(GatewayConfig.load(target.resolve("edgefleet-gateway/gateway.properties"))
                .offline());
        Path images = Files.createDirectories(target.resolve("edgefleet-gateway/dist/images"));
        Files.writeString(images.resolve("node.tar"), "");
        Outcome bundled = install(valid("-m", "offline"));
        assertTrue(bundled.out().contains("node images come from the Docker engine or the bundle"), bundled.out());
        assertTrue(bundled.out().contains("node.tar"), bundled.out());
        assertFalse(install(valid()).out().contains("offline:"), "online says nothing of it");
    }

    @Test
    void insecureAcceptsAProxyWithCredentialsOverPlainHttp() throws IOException {
        Outcome outcome = install(valid("--https-proxy", "http://ops:s3cret@proxy.com:3128", "--insecure"));
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(
                "http://ops:s3cret@proxy.com:3128",
                GatewayConfig.load(target.resolve("edgefleet-gateway/gateway.properties"))
                        .httpsProxy());
        // without credentials a plain http proxy needs nothing: TLS goes through it in a CONNECT tunnel
        assertEquals(0, install(valid("--https-proxy", "http://proxy.com:3128")).code());
    }

    @Test
    void shortAndLongFormsAreTheSameAndTheEdgeEndpointIsAnHttpsUrl() throws IOException {
        Outcome outcome = install(
                "--ip",
                "fd00::5",
                "--deviceid",
                "store-7",
                "--registration-token-file",
                tokenFile.toString(),
                "--mode",
                "online",
                "--apiurl",
                "[fd00::1]");
        assertEquals(0, outcome.code(), outcome.err());
        GatewayConfig config = GatewayConfig.load(target.resolve("edgefleet-gateway/gateway.properties"));
        assertEquals("fd00::5", config.ip());
        assertEquals("store-7", config.deviceId());
        assertEquals("https://[fd00::1]:443", config.edgeUrl(), "port 443 by default");
        assertEquals(TOKEN + "\n", Files.readString(config.registrationTokenFile()));
        try (Stream<Path> files = Files.list(target.resolve("edgefleet-gateway"))) {
            assertFalse(
                    files.anyMatch(p -> p.getFileName().toString().equals("truststore.p12")), "no CA, no trust store");
        }
        for (String[] form : new String[][] {
            {"https://mgmt.example.com", "https://mgmt.example.com:443"},
            {"https://mgmt.example.com:9443/edge/", "https://mgmt.example.com:9443/edge"},
            {"mgmt.example.com:9443", "https://mgmt.example.com:9443"}
        }) {
            assertEquals(0, install(valid("-a", form[0])).code());
            assertEquals(
                    form[1],
                    GatewayConfig.load(target.resolve("edgefleet-gateway/gateway.properties"))
                            .edgeUrl(),
                    form[0]);
        }
    }

    @Test
    void anEnrolledApplianceNeedsNoTokenAndANewOneMeansReEnrolment() throws IOException {
        assertEquals(0, install(valid()).code());
        Path identity = target.resolve("edgefleet-gateway/state/identity");
        Files.createDirectories(identity.resolve("pairs/1"));
        Files.createSymbolicLink(identity.resolve("current"), Path.of("pairs/1")); // as an enrolled gateway leaves it

        Outcome settingsOnly = install("-i", "10.10.10.11", "-d", "hospital-1", "-a", "edge.example.com");
        assertEquals(0, settingsOnly.code(), settingsOnly.err());
        assertFalse(settingsOnly.out().contains("enrols"), settingsOnly.out());
        assertEquals(
                TOKEN + "\n",
                Files.readString(target.resolve("edgefleet-gateway/registration-token")),
                "the token stays");

        String newToken = "eft_" + "z".repeat(43);
        Outcome reEnrol = install(
                "-i", "10.10.10.11", "-d", "hospital-1", "-a", "edge.example.com", "--registration-token", newToken);
        assertEquals(0, reEnrol.code(), reEnrol.err());
        assertTrue(
                reEnrol.out().contains("a new registration token: the gateway enrols again when it starts"),
                reEnrol.out());
        assertEquals(newToken + "\n", Files.readString(target.resolve("edgefleet-gateway/registration-token")));
    }
}
