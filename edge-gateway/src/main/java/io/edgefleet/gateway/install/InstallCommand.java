package io.edgefleet.gateway.install;

import io.edgefleet.gateway.EdgeGateway;
import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.nodes.libvirt.LibvirtUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The installer ("bootstrapper"): checks every flag before it changes anything (the header of {@code edge-installer.bin}
 * unpacks the gateway into a private temp directory, {@code --bundle}, and only this command copies it into the target,
 * after the checks), writes the gateway's configuration and its registration token (0600), installs the custom CA for
 * the gateway's own connections, stops a gateway an earlier run started, and starts the gateway, which enrols with the
 * token on its first start. Flags are those of the
 * original product plus {@code --registration-token}; {@code -a} names the management plane's edge endpoint.
 * <p>
 * A re-run on an appliance that is enrolled keeps its identity, unless it brings a new registration token: then the
 * gateway enrols again on start (a reimaged machine, a revoked or long-expired certificate). Without a token a re-run
 * only changes the settings.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        version = EdgeGateway.VERSION,
        sortOptions = false,
        customSynopsis =
                "edge-installer.bin [--target DIR] -- -i IP -a EDGE_ENDPOINT (--registration-token TOKEN | --registration-token-file FILE) "
                        + "[-d DEVICEID] [-v true (-s KEY -u USER --ssh-known-hosts FILE [-x SOCKET] | --libvirt-uri qemu:///system)] [-m online|offline] [--pod-cidr CIDR] [--service-cidr CIDR] "
                        + "[--http-proxy URL] [--https-proxy URL] [--no-proxy LIST] [--custom-cacert PEM]",
        description = "Install and start the EdgeFleet edge gateway on this appliance.")
public final class InstallCommand implements Callable<Integer> {

    static final String TOKEN_FILE = "registration-token";

    @Option(
            names = "--target",
            paramLabel = "DIR",
            defaultValue = "/tmp",
            description = "Directory the gateway is installed into (its config, state and logs). Default: /tmp")
    Path target;

    @Option(
            names = {"-i", "--ip"},
            paramLabel = "IP",
            description = "IP address of this machine. [required]")
    String ip;

    @Option(
            names = {"-a", "--apiurl"},
            paramLabel = "EDGE_ENDPOINT",
            description =
                    "The management plane's edge endpoint (enrolment over HTTPS): host[:port] (port 443 by default) or "
                            + "https://host[:port]. [required]")
    String apiUrl;

    @Option(
            names = "--registration-token",
            paramLabel = "TOKEN",
            description =
                    "Registration token (eft_...) the appliance enrols with. [required on the first installation]")
    String registrationToken;

    @Option(
            names = "--registration-token-file",
            paramLabel = "FILE",
            description = "A file holding the registration token, so that it does not show in the process list")
    Path registrationTokenFile;

    @Option(
            names = {"-d", "--deviceid"},
            paramLabel = "ID",
            description = "Appliance uid to enrol as. Default: /etc/machine-id")
    String deviceId;

    @Option(
            names = {"-v", "--isvirtual"},
            paramLabel = "true|false",
            arity = "1",
            defaultValue = "false",
            description = "true: bare metal with libvirt (virtualized clusters); false: containerized. Default: false")
    boolean virtual;

    @Option(
            names = {"-s", "--sshkey"},
            paramLabel = "FILE",
            description = "SSH private key for libvirt. [required with -v true]")
    Path sshKey;

    @Option(
            names = {"-u", "--sshuser"},
            paramLabel = "USER",
            description = "SSH user for libvirt. [required with -v true]")
    String sshUser;

    @Option(
            names = "--ssh-known-hosts",
            paramLabel = "FILE",
            description = "The libvirt host's SSH host keys (known_hosts format, e.g. from ssh-keyscan -H IP, checked"
                    + " against the host's fingerprint): only these are accepted, an unknown or changed key is refused."
                    + " [required with -v true]")
    Path sshKnownHosts;

    static final String DEFAULT_VIRTSOCK = "/var/run/libvirt/libvirt-sock";

    // no picocli default: given with --libvirt-uri it is refused, so whether it was given must be seen
    @Option(
            names = {"-x", "--virtsock"},
            paramLabel = "SOCKET",
            description = "libvirt socket on the libvirt host (over SSH). Default: " + DEFAULT_VIRTSOCK)
    String virtSock;

    @Option(
            names = "--libvirt-uri",
            paramLabel = "URI",
            description = "With -v true: qemu:///system, the libvirt of this machine reached directly on its socket, "
                    + "without SSH (no -s, -u, --ssh-known-hosts or -x then; the gateway must run as root or in group"
                    + " libvirt). Without it libvirt is reached over qemu+ssh://USER@IP/system.")
    String libvirtUri;

    @Option(
            names = {"-m", "--mode"},
            paramLabel = "MODE",
            defaultValue = "online",
            description =
                    "online or offline. Offline: nothing is fetched from outside the management plane (node images only "
                            + "from the Docker engine or the bundle, never pulled). Default: online")
    String mode;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", description = "Pod CIDR range, e.g. 192.168.0.0/16")
    String podCidr;

    @Option(names = "--service-cidr", paramLabel = "CIDR", description = "Service CIDR range, e.g. 10.96.0.0/12")
    String serviceCidr;

    @Option(
            names = "--http-proxy",
            paramLabel = "URL",
            description = "Proxy for HTTP connections (the gateway's and the nodes')")
    String httpProxy;

    @Option(
            names = "--https-proxy",
            paramLabel = "URL",
            description =
                    "Proxy for HTTPS and TLS connections (the gateway's enrolment, MQTT and object store through CONNECT; the nodes')")
    String httpsProxy;

    @Option(
            names = "--no-proxy",
            paramLabel = "LIST",
            split = ",",
            description = "Comma separated hosts, domains, IPs or CIDRs not to proxy")
    List<String> noProxy = new ArrayList<>();

    @Option(
            names = "--custom-cacert",
            paramLabel = "PEM",
            description =
                    "Custom CA certificate (PEM) trusted for the gateway's connections (edge endpoint, broker); also given to the nodes")
    Path customCaCert;

    @Option(
            names = "--heartbeat-interval",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Seconds between heartbeats. Default: 30")
    int heartbeatSeconds;

    @Option(
            names = "--metrics-listen",
            paramLabel = "IP:PORT|off",
            defaultValue = "127.0.0.1:9464",
            description = "Where the gateway serves its metrics (GET /metrics, Prometheus text); a non-loopback "
                    + "address needs --insecure (no authentication). Default: 127.0.0.1:9464")
    String metricsListen;

    @Option(names = "--no-start", description = "Write the configuration but do not start the gateway")
    boolean noStart;

    @Option(
            names = "--insecure",
            description =
                    "Accept what would cross the network in clear: a proxy URL with credentials over plain http, "
                            + "metrics served on a non-loopback address (refused without it). The edge endpoint is HTTPS whatever this says.")
    boolean insecure;

    /**
     * Where the installer's header unpacked the gateway (a private temp directory): copied to {@code dist/} only once
     * every flag was checked, so a refused run writes nothing. Not set when the jar is run where it lies.
     */
    @Option(names = "--bundle", hidden = true, paramLabel = "DIR")
    Path bundle;

    // flags of the Kafka-era gateway: refused with a word on what replaced them
    @Option(names = "--tenant", hidden = true)
    String removedTenant;

    @Option(
            names = {"--client-id", "--client-secret-file", "--token-url", "--token-file"},
            hidden = true)
    String removedCredential;

    /** Where the machine id comes from; tests point it elsewhere. */
    InventoryProbe probe = InventoryProbe.ofThisMachine();

    /** What the checks found, before anything is written. */
    record Plan(GatewayConfig config, String token, boolean enrolled) {}

    @Override
    public Integer call() throws IOException {
        Plan plan;
        try {
            plan = checked();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        GatewayConfig config = plan.config();
        Path home = config.stateDir().getParent();
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        if (!noStart) { // before its jars are replaced
            GatewayLauncher.stopRunning(home)
                    .ifPresent(pid -> System.out.println("stopped the gateway that was running (pid " + pid + ")"));
        }
        if (bundle != null) {
            Distribution.install(bundle, home.resolve(Distribution.DIR));
        }
        boolean newToken = plan.token() != null && writeToken(plan.token(), config.registrationTokenFile());
        if (customCaCert != null) {
            Files.copy(customCaCert, config.caFile(), StandardCopyOption.REPLACE_EXISTING);
            writeTrustStore(config.caFile(), home.resolve("truststore.p12"));
        }
        Path file = home.resolve("gateway.properties");
        config.save(file);
        if (config.virtual() && config.libvirtUri() == null) { // the pinned host keys: its qemu+ssh accepts only these
            Path pinned = home.resolve(KNOWN_HOSTS_FILE);
            Files.copy(sshKnownHosts, pinned, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(pinned, PosixFilePermissions.fromString("rw-r--r--"));
            GatewayConfig.writeSshKnownHosts(file, pinned);
        }
        System.out.println("edge gateway configured in " + file + " (appliance '" + config.deviceId()
                + "', edge endpoint " + config.edgeUrl() + ", "
                + (config.virtual()
                        ? "virtualized, libvirt " + (config.libvirtUri() != null ? config.libvirtUri() : "over SSH")
                        : "containerized, Docker")
                + ", " + config.mode() + ")");
        if (config.offline()) {
            System.out.println(offlineNote(config));
        }
        if (!plan.enrolled()) {
            System.out.println("the gateway enrols with the registration token when it starts");
        } else if (newToken) {
            System.out.println(
                    "a new registration token: the gateway enrols again when it starts (its current certificate is "
                            + "used until then)");
        }
        if (noStart) {
            GatewayLauncher.running(home)
                    .ifPresent(pid -> System.out.println("a gateway is running (pid " + pid
                            + "): it applies the new settings when it is started again"));
            return 0;
        }
        String classPath = bundle != null
                ? Distribution.classPath(home.resolve(Distribution.DIR))
                : System.getProperty("java.class.path");
        long pid = GatewayLauncher.start(file, home.resolve("logs"), classPath);
        System.out.println("edge gateway started (pid " + pid + ", log " + home.resolve("logs/gateway.log") + ")");
        return 0;
    }

    static final String KNOWN_HOSTS_FILE = "ssh_known_hosts";

    /** Every check runs before anything is written. */
    Plan checked() {
        refuseRemovedFlags();
        InstallerChecks.ip(ip);
        String uid = InstallerChecks.deviceId(deviceId != null ? deviceId : machineId());
        String edgeUrl = InstallerChecks.edgeEndpoint(apiUrl);
        InstallerChecks.mode(mode);
        boolean local = libvirtUri != null;
        if (local) {
            localLibvirt();
        } else if (virtual) {
            if (sshKey == null || sshUser == null) {
                throw new IllegalArgumentException("-v true needs -s/--sshkey and -u/--sshuser (SSH access to libvirt),"
                        + " or --libvirt-uri " + LibvirtUri.LOCAL_SYSTEM + " when libvirt runs on this machine");
            }
            InstallerChecks.sshKey(sshKey);
            InstallerChecks.sshUser(sshUser);
            if (sshKnownHosts == null) {
                throw new IllegalArgumentException("-v true needs --ssh-known-hosts FILE: the SSH host key of " + ip
                        + " is pinned at install, never trusted on first use (e.g. ssh-keyscan -H " + ip
                        + " >FILE, after comparing its fingerprint with ssh-keygen -lf"
                        + " /etc/ssh/ssh_host_ed25519_key.pub on that host)");
            }
            KnownHosts.check(sshKnownHosts, ip);
            if (virtSock != null && !virtSock.startsWith("/")) {
                throw new IllegalArgumentException("-x/--virtsock '" + virtSock + "' must be an absolute path");
            }
            Prerequisites.requireForVirtual(ip); // every missing Debian package named at once, nothing written
        }
        InstallerChecks.cidrs(podCidr, serviceCidr);
        if (httpProxy != null) {
            InstallerChecks.proxyUrl(httpProxy, "--http-proxy", insecure);
        }
        if (httpsProxy != null) {
            InstallerChecks.proxyUrl(httpsProxy, "--https-proxy", insecure);
        }
        InstallerChecks.noProxy(noProxy);
        if (customCaCert != null) {
            InstallerChecks.caCert(customCaCert);
        }
        String metricsAddress = InstallerChecks.metricsListen(metricsListen, insecure);
        if (heartbeatSeconds < 1 || heartbeatSeconds > 3600) {
            throw new IllegalArgumentException("--heartbeat-interval must be 1 to 3600 seconds");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("--target " + target + " is not a directory");
        }
        if (bundle != null) {
            Distribution.check(bundle);
        }
        Path home = target.toAbsolutePath().resolve("edgefleet-gateway");
        boolean enrolled =
                Files.exists(home.resolve("state").resolve("identity").resolve("current"));
        String token = token(enrolled);
        GatewayConfig config = new GatewayConfig(
                uid,
                edgeUrl,
                home.resolve(TOKEN_FILE),
                ip,
                virtual,
                sshUser,
                absolute(sshKey),
                local ? null : (virtSock != null ? virtSock : DEFAULT_VIRTSOCK),
                libvirtUri,
                mode,
                podCidr,
                serviceCidr,
                httpProxy,
                httpsProxy,
                List.copyOf(noProxy),
                customCaCert == null ? existing(home.resolve("ca.pem")) : home.resolve("ca.pem"),
                home.resolve("state"),
                heartbeatSeconds,
                GatewayConfig.DEFAULT_DOCKER_HOST,
                GatewayConfig.DEFAULT_NODE_IMAGE,
                metricsAddress);
        return new Plan(config, token, enrolled);
    }

    /**
     * {@code --libvirt-uri qemu:///system}: the gateway runs on the libvirt host and talks to libvirtd on its socket, so
     * none of the SSH set-up applies (no sshd, no key in an authorized_keys, no host key to pin). Only that URI: a
     * remote host is reached with the SSH flags, whose URI the gateway builds with the pinned host keys, never from
     * free text. The SSH flags are refused with it rather than ignored, so a mixed command line is not half applied.
     */
    private void localLibvirt() {
        if (!virtual) {
            throw new IllegalArgumentException("--libvirt-uri needs -v true (virtualized clusters on libvirt)");
        }
        if (!LibvirtUri.LOCAL_SYSTEM.equals(libvirtUri)) {
            throw new IllegalArgumentException("--libvirt-uri '" + libvirtUri + "' must be " + LibvirtUri.LOCAL_SYSTEM
                    + " (libvirt on this machine); a libvirt host reached over SSH is given with -s, -u and"
                    + " --ssh-known-hosts instead");
        }
        List<String> sshFlags = new ArrayList<>();
        if (sshKey != null) {
            sshFlags.add("-s/--sshkey");
        }
        if (sshUser != null) {
            sshFlags.add("-u/--sshuser");
        }
        if (sshKnownHosts != null) {
            sshFlags.add("--ssh-known-hosts");
        }
        if (virtSock != null) {
            sshFlags.add("-x/--virtsock");
        }
        if (!sshFlags.isEmpty()) {
            throw new IllegalArgumentException("--libvirt-uri " + LibvirtUri.LOCAL_SYSTEM
                    + " reaches libvirt without SSH: " + String.join(", ", sshFlags)
                    + " apply only over SSH; drop them or drop --libvirt-uri");
        }
        Prerequisites.requireForVirtual(null); // libvirtd and dnsmasq here, no SSH packages
    }

    /** What {@code -m offline} means for this installation (see the README: nothing is fetched from outside). */
    static String offlineNote(GatewayConfig config) {
        if (config.virtual()) {
            return "offline: nothing is fetched from outside the management plane (libvirt base volumes come from the "
                    + "host's image pool, as always)";
        }
        Path images = config.bundleImagesDir();
        List<String> archives;
        try (var files = Files.list(images)) {
            archives = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            archives = List.of();
        }
        return archives.isEmpty()
                ? "offline: the bundle carries no node images (" + images + "): nodes can use only images the Docker "
                        + "engine already has; nothing is pulled"
                : "offline: node images come from the Docker engine or the bundle (" + images + ": "
                        + String.join(", ", archives) + "); nothing is pulled";
    }

    /** The token from the flag or its file; none is needed when the appliance is enrolled already. */
    private String token(boolean enrolled) {
        if (registrationToken != null && registrationTokenFile != null) {
            throw new IllegalArgumentException(
                    "give either --registration-token or --registration-token-file, not both");
        }
        if (registrationTokenFile != null) {
            InstallerChecks.readableFile(registrationTokenFile, "--registration-token-file");
            try {
                return InstallerChecks.registrationToken(
                        Files.readString(registrationTokenFile), "--registration-token-file " + registrationTokenFile);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--registration-token-file " + registrationTokenFile + " cannot be read: " + e.getMessage());
            }
        }
        if (registrationToken != null) {
            return InstallerChecks.registrationToken(registrationToken, "--registration-token");
        }
        if (!enrolled) {
            throw new IllegalArgumentException(
                    "--registration-token (or --registration-token-file) is required: the appliance "
                            + "is not enrolled yet (ask a tenant admin for a registration token)");
        }
        return null;
    }

    private void refuseRemovedFlags() {
        if (removedTenant != null) {
            throw new IllegalArgumentException(
                    "--tenant was removed: the appliance's tenant comes with its registration token "
                            + "(--registration-token)");
        }
        if (removedCredential != null) {
            throw new IllegalArgumentException(
                    "--client-id, --client-secret-file, --token-url and --token-file were removed: the "
                            + "gateway enrols with a registration token (--registration-token) and then uses its own certificate");
        }
    }

    /** Writes the token 0600 (from the first byte); returns whether it differs from the one there before. */
    private static boolean writeToken(String token, Path file) throws IOException {
        if (Files.exists(file) && Files.readString(file).strip().equals(token)) {
            return false;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static Path existing(Path file) {
        return Files.exists(file) ? file : null;
    }

    private String machineId() {
        String id = probe.machineId();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("this machine has no /etc/machine-id: give -d/--deviceid");
        }
        return id;
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath();
    }

    /** The JDK's trusted CAs plus the custom one, for the gateway's own TLS connections. */
    static void writeTrustStore(Path caPem, Path trustStore) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            Path jdkCacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
            if (Files.isReadable(jdkCacerts)) {
                KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(jdkCacerts)) {
                    jdk.load(in, null);
                }
                for (String alias : Collections.list(jdk.aliases())) {
                    store.setCertificateEntry(alias, jdk.getCertificate(alias));
                }
            }
            try (InputStream in = Files.newInputStream(caPem)) {
                int i = 0;
                for (Certificate certificate :
                        CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("edgefleet-custom-ca-" + i++, certificate);
                }
            }
            Files.deleteIfExists(trustStore);
            Files.createFile(
                    trustStore, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                store.store(out, GatewayLauncher.TRUSTSTORE_PASSWORD.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
