package io.edgefleet.gateway.install;

import io.edgefleet.gateway.config.GatewayConfig;
import io.edgefleet.gateway.inventory.InventoryProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The installer ("bootstrapper"): checks every flag before it changes anything, writes the gateway's
 * configuration, installs the custom CA for the gateway's own connections, and starts the gateway.
 * Flags are those of the original product; {@code --tenant} and the credential flags are EdgeFleet's.
 */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "edge-installer.bin [--target DIR] -- -i IP [-a HOST:PORT] [-d DEVICEID] [-v true -s KEY -u USER [-x SOCKET]] "
                + "[-m online|offline] [--pod-cidr CIDR] [--service-cidr CIDR] [--http-proxy URL] [--https-proxy URL] "
                + "[--no-proxy LIST] [--custom-cacert PEM] --tenant TENANT (--client-id ID --client-secret-file FILE --token-url URL | --token-file FILE)",
        description = "Install and start the EdgeFleet edge gateway on this appliance.")
public final class InstallCommand implements Callable<Integer> {

    @Option(names = "--target", paramLabel = "DIR", defaultValue = "/tmp",
            description = "Directory the gateway is installed into (its config, state and logs). Default: /tmp")
    Path target;
    @Option(names = {"-i", "--ip"}, paramLabel = "IP", description = "IP address of this machine. [required]")
    String ip;
    @Option(names = {"-a", "--apiurl"}, paramLabel = "HOST:PORT", defaultValue = "localhost:19092",
            description = "Management plane endpoint: its Kafka brokers, host:port[,host:port]. Default: localhost:19092")
    String apiUrl;
    @Option(names = {"-d", "--deviceid"}, paramLabel = "ID", description = "Appliance uid to report as. Default: /etc/machine-id")
    String deviceId;
    @Option(names = {"-v", "--isvirtual"}, paramLabel = "true|false", arity = "1", defaultValue = "false",
            description = "true: bare metal with libvirt (virtualized clusters); false: containerized. Default: false")
    boolean virtual;
    @Option(names = {"-s", "--sshkey"}, paramLabel = "FILE", description = "SSH private key for libvirt. [required with -v true]")
    Path sshKey;
    @Option(names = {"-u", "--sshuser"}, paramLabel = "USER", description = "SSH user for libvirt. [required with -v true]")
    String sshUser;
    @Option(names = {"-x", "--virtsock"}, paramLabel = "SOCKET", defaultValue = "/var/run/libvirt/libvirt-sock",
            description = "libvirt socket. Default: /var/run/libvirt/libvirt-sock")
    String virtSock;
    @Option(names = {"-m", "--mode"}, paramLabel = "MODE", defaultValue = "online", description = "online or offline. Default: online")
    String mode;
    @Option(names = "--pod-cidr", paramLabel = "CIDR", description = "Pod CIDR range, e.g. 192.168.0.0/16")
    String podCidr;
    @Option(names = "--service-cidr", paramLabel = "CIDR", description = "Service CIDR range, e.g. 10.96.0.0/12")
    String serviceCidr;
    @Option(names = "--http-proxy", paramLabel = "URL", description = "Proxy for HTTP connections")
    String httpProxy;
    @Option(names = "--https-proxy", paramLabel = "URL", description = "Proxy for HTTPS connections")
    String httpsProxy;
    @Option(names = "--no-proxy", paramLabel = "LIST", split = ",", description = "Comma separated hosts, domains, IPs or CIDRs not to proxy")
    List<String> noProxy = new ArrayList<>();
    @Option(names = "--custom-cacert", paramLabel = "PEM", description = "Custom CA certificate (PEM) for outgoing connections; also given to the nodes")
    Path customCaCert;
    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant of this appliance's gateway credential. [required]")
    String tenant;
    @Option(names = "--client-id", paramLabel = "ID", description = "Gateway client id of the tenant (OIDC client credentials)")
    String clientId;
    @Option(names = "--client-secret-file", paramLabel = "FILE", description = "File holding the gateway client secret")
    Path clientSecretFile;
    @Option(names = "--token-url", paramLabel = "URL", description = "OIDC token endpoint")
    String tokenUrl;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Instead of client credentials: a file holding a bearer token, kept fresh by another agent")
    Path tokenFile;
    @Option(names = "--heartbeat-interval", paramLabel = "SECONDS", defaultValue = "30", description = "Seconds between heartbeats. Default: 30")
    int heartbeatSeconds;
    @Option(names = "--no-start", description = "Write the configuration but do not start the gateway")
    boolean noStart;

    /** Where the machine id comes from; tests point it elsewhere. */
    InventoryProbe probe = InventoryProbe.ofThisMachine();

    @Override
    public Integer call() throws IOException {
        GatewayConfig config;
        try {
            config = checkedConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        Path home = config.stateDir().getParent();
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path file = home.resolve("gateway.properties");
        config.save(file);
        if (config.caFile() != null) {
            writeTrustStore(config.caFile(), home.resolve("truststore.p12"));
        }
        System.out.println("edge gateway configured in " + file + " (appliance '" + config.deviceId() + "', tenant "
                + config.tenant() + ", " + (config.virtual() ? "virtualized, libvirt" : "containerized, Docker") + ", " + config.mode() + ")");
        if (noStart) {
            return 0;
        }
        long pid = GatewayLauncher.start(file, home.resolve("logs"));
        System.out.println("edge gateway started (pid " + pid + ", log " + home.resolve("logs/gateway.log") + ")");
        return 0;
    }

    /** Every check runs before anything is written. */
    GatewayConfig checkedConfig() {
        InstallerChecks.ip(ip);
        String uid = InstallerChecks.deviceId(deviceId != null ? deviceId : machineId());
        InstallerChecks.apiUrl(apiUrl);
        InstallerChecks.mode(mode);
        if (virtual) {
            if (sshKey == null || sshUser == null) {
                throw new IllegalArgumentException("-v true needs -s/--sshkey and -u/--sshuser (SSH access to libvirt)");
            }
            InstallerChecks.sshKey(sshKey);
            InstallerChecks.sshUser(sshUser);
            if (!virtSock.startsWith("/")) {
                throw new IllegalArgumentException("-x/--virtsock '" + virtSock + "' must be an absolute path");
            }
        }
        InstallerChecks.cidrs(podCidr, serviceCidr);
        if (httpProxy != null) {
            InstallerChecks.proxyUrl(httpProxy, "--http-proxy");
        }
        if (httpsProxy != null) {
            InstallerChecks.proxyUrl(httpsProxy, "--https-proxy");
        }
        InstallerChecks.noProxy(noProxy);
        if (customCaCert != null) {
            InstallerChecks.caCert(customCaCert);
        }
        InstallerChecks.tenant(tenant);
        if (tokenFile != null) {
            InstallerChecks.readableFile(tokenFile, "--token-file");
        } else {
            if (clientId == null || clientSecretFile == null || tokenUrl == null) {
                throw new IllegalArgumentException("the gateway credential is required: --client-id, --client-secret-file and --token-url (or --token-file)");
            }
            InstallerChecks.readableFile(clientSecretFile, "--client-secret-file");
            InstallerChecks.proxyUrl(tokenUrl.replaceFirst("^(https?://[^/]+).*$", "$1"), "--token-url");
        }
        if (heartbeatSeconds < 1 || heartbeatSeconds > 3600) {
            throw new IllegalArgumentException("--heartbeat-interval must be 1 to 3600 seconds");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IllegalArgumentException("--target " + target + " is not a directory");
        }
        Path home = target.toAbsolutePath().resolve("edgefleet-gateway");
        return new GatewayConfig(uid, tenant, apiUrl, ip, virtual, sshUser, absolute(sshKey), virtSock, null, mode,
                podCidr, serviceCidr, httpProxy, httpsProxy, List.copyOf(noProxy), installedCa(home),
                tokenUrl, clientId, absolute(clientSecretFile), absolute(tokenFile), home.resolve("state"),
                heartbeatSeconds, GatewayConfig.DEFAULT_DOCKER_HOST, GatewayConfig.DEFAULT_NODE_IMAGE);
    }

    private Path installedCa(Path home) {
        if (customCaCert == null) {
            return null;
        }
        Path installed = home.resolve("ca.pem");
        try {
            Files.createDirectories(home);
            Files.copy(customCaCert, installed, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + installed + ": " + e.getMessage());
        }
        return installed;
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
                for (String alias : java.util.Collections.list(jdk.aliases())) {
                    store.setCertificateEntry(alias, jdk.getCertificate(alias));
                }
            }
            try (InputStream in = Files.newInputStream(caPem)) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("edgefleet-custom-ca-" + i++, certificate);
                }
            }
            Files.deleteIfExists(trustStore);
            Files.createFile(trustStore, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                store.store(out, GatewayLauncher.TRUSTSTORE_PASSWORD.toCharArray());
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot build the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
