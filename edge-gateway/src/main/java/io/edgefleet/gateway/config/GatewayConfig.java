package io.edgefleet.gateway.config;

import io.edgefleet.gateway.commands.CommandExecutor;
import io.edgefleet.gateway.link.MqttLink;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The gateway's settings, as the installer writes them to {@code gateway.properties} and {@code run} reads them.
 * Paths are absolute. The file holds no secret (the registration token has its own 0600 file) but is written 0600
 * anyway: it tells how to reach the management plane.
 *
 * @param edgeUrl               the management plane's edge endpoint (appliance-service's enrolment API),
 *                              {@code https://host:port[/base]}; key {@code edge.url}
 * @param registrationTokenFile the registration token the gateway enrols with (0600); key {@code registration.token.file}
 * @param virtual               bare metal with libvirt: virtualized clusters
 * @param libvirtUri            explicit libvirt URI: {@code qemu:///system} from the installer's {@code --libvirt-uri}
 *                              (the gateway on the libvirt host, no SSH), or a test's; null: qemu+ssh built from ip,
 *                              sshUser, sshKey, virtSock
 * @param caFile                the installer's custom CA: trusted for the gateway's own TLS connections, given to nodes
 * @param metricsListen         {@code host:port} where {@code run} serves its metrics ({@code GET /metrics}); null: not
 *                              served (configurations written before metrics existed); key {@code metrics.listen}
 */
public record GatewayConfig(
        String deviceId,
        String edgeUrl,
        Path registrationTokenFile,
        String ip,
        boolean virtual,
        String sshUser,
        Path sshKey,
        String virtSock,
        String libvirtUri,
        String mode,
        String podCidr,
        String serviceCidr,
        String httpProxy,
        String httpsProxy,
        List<String> noProxy,
        Path caFile,
        Path stateDir,
        int heartbeatSeconds,
        String dockerHost,
        String nodeImage,
        String metricsListen) {

    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final String DEFAULT_NODE_IMAGE = "edgefleet/node:latest";

    /** {@code -m offline}: nothing is fetched from outside the management plane; node images come from the bundle. */
    public boolean offline() {
        return "offline".equals(mode);
    }

    /** The images the installer's bundle carries ({@code dist/images/} beside the state directory). */
    public Path bundleImagesDir() {
        return stateDir.getParent().resolve("dist").resolve("images");
    }

    public void save(Path file) throws IOException {
        Properties p = new Properties();
        put(p, "device.id", deviceId);
        put(p, "edge.url", edgeUrl);
        put(p, "registration.token.file", registrationTokenFile);
        put(p, "ip", ip);
        put(p, "virtual", Boolean.toString(virtual));
        put(p, "ssh.user", sshUser);
        put(p, "ssh.key", sshKey);
        put(p, "libvirt.socket", virtSock);
        put(p, "libvirt.uri", libvirtUri);
        put(p, "mode", mode);
        put(p, "pod.cidr", podCidr);
        put(p, "service.cidr", serviceCidr);
        put(p, "proxy.http", httpProxy);
        put(p, "proxy.https", httpsProxy);
        put(p, "proxy.none", noProxy == null || noProxy.isEmpty() ? null : String.join(",", noProxy));
        put(p, "ca.file", caFile);
        put(p, "state.dir", stateDir);
        put(p, "heartbeat.seconds", Integer.toString(heartbeatSeconds));
        put(p, "docker.host", dockerHost);
        put(p, "node.image", nodeImage);
        put(p, "metrics.listen", metricsListen);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "EdgeFleet edge gateway, written by the installer");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static GatewayConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        if (p.getProperty("edge.url") == null && p.getProperty("api.url") != null) {
            throw new IOException(file + " was written by an installer of the Kafka era: re-run the installer with "
                    + "-a EDGE_ENDPOINT --registration-token TOKEN");
        }
        String none = p.getProperty("proxy.none");
        return new GatewayConfig(
                required(p, "device.id", file),
                required(p, "edge.url", file),
                Path.of(required(p, "registration.token.file", file)),
                p.getProperty("ip"),
                Boolean.parseBoolean(p.getProperty("virtual", "false")),
                p.getProperty("ssh.user"),
                path(p, "ssh.key"),
                p.getProperty("libvirt.socket"),
                p.getProperty("libvirt.uri"),
                p.getProperty("mode", "online"),
                p.getProperty("pod.cidr"),
                p.getProperty("service.cidr"),
                p.getProperty("proxy.http"),
                p.getProperty("proxy.https"),
                none == null
                        ? List.of()
                        : Arrays.stream(none.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                path(p, "ca.file"),
                Path.of(required(p, "state.dir", file)),
                Integer.parseInt(p.getProperty("heartbeat.seconds", "30")),
                p.getProperty("docker.host", DEFAULT_DOCKER_HOST),
                p.getProperty("node.image", DEFAULT_NODE_IMAGE),
                p.getProperty("metrics.listen"));
    }

    /**
     * Where the gateway sends its spans: key {@code tracing.zipkin-endpoint} (Zipkin's {@code /api/v2/spans}), added by
     * hand by an operator who runs a trace backend; absent (the default): no spans leave the appliance.
     */
    public static String zipkinEndpoint(Path file) throws IOException {
        return optional(file, "tracing.zipkin-endpoint");
    }

    /**
     * The libvirt domain type of virtualized nodes: key {@code libvirt.domain-type}, {@code kvm} or {@code qemu} (software
     * emulation), added by hand where the host offers KVM but cannot run guests with it (a nested VM without working
     * virtualization: guests pause with "emulation failure"); absent (the default): {@code kvm} when libvirt offers it.
     */
    public static String libvirtDomainType(Path file) throws IOException {
        String value = optional(file, "libvirt.domain-type");
        if (value != null && !value.equals("kvm") && !value.equals("qemu")) {
            throw new IOException("libvirt.domain-type in " + file + " is '" + value + "': kvm or qemu");
        }
        return value;
    }

    /**
     * How a containerized node shows it is ready: key {@code docker.ready-check}, added by hand for node images other
     * than the project's — a shell command run in the node until it succeeds (Docker's health check), or {@code none}
     * (ready once running); absent (the default): the project's node image's check.
     */
    public static String dockerReadyCheck(Path file) throws IOException {
        return optional(file, "docker.ready-check");
    }

    /**
     * How many node commands (of different nodes) run at once: key {@code commands.max-concurrent}, added by hand, a
     * whole number from 1 (the gateway before lanes: one command at a time) to 64; absent: {@value
     * CommandExecutor#DEFAULT_MAX_RUNNING}. One node's commands run one at a time, in order, whatever it says.
     */
    public static int maxConcurrentCommands(Path file) throws IOException {
        String value = optional(file, "commands.max-concurrent");
        if (value == null) {
            return CommandExecutor.DEFAULT_MAX_RUNNING;
        }
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= 64) {
                return max;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IOException(
                "commands.max-concurrent in " + file + " is '" + value + "': a whole number from 1 to 64");
    }

    /**
     * How long a lost link may take to come back before the broker tells the management plane (the link-lost will's
     * delay): key {@code link.will-delay-seconds}, added by hand, a whole number of seconds from 0 (at once) to 3600;
     * absent: null (the link's default, {@link MqttLink#DEFAULT_WILL_DELAY}). Longer for a site whose link often drops
     * for a while, shorter to know sooner.
     */
    public static Duration willDelay(Path file) throws IOException {
        String value = optional(file, "link.will-delay-seconds");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IOException(
                "link.will-delay-seconds in " + file + " is '" + value + "': whole seconds from 0 to 3600");
    }

    /**
     * The libvirt host's pinned SSH host keys (a known_hosts file): key {@code ssh.known-hosts}, written by the installer
     * of a virtualized gateway ({@code --ssh-known-hosts}) after the other settings; absent from configurations written
     * before it existed (then ssh's own known_hosts files of the gateway's user must hold the key: it is never trusted
     * on first use).
     */
    public static Path sshKnownHosts(Path file) throws IOException {
        String value = optional(file, "ssh.known-hosts");
        return value == null ? null : Path.of(value);
    }

    /** Adds (or replaces) {@code ssh.known-hosts} in a configuration the installer wrote. */
    public static void writeSshKnownHosts(Path file, Path knownHosts) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("ssh.known-hosts="))
                .collect(Collectors.toCollection(ArrayList::new));
        lines.add("ssh.known-hosts=" + knownHosts.toString().replace("\\", "\\\\"));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** A key an operator may add by hand (the installer does not write it); null when absent or blank. */
    private static String optional(Path file, String key) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void put(Properties p, String key, Object value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static Path path(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IOException(file + " has no '" + key + "'");
        }
        return value;
    }
}
