package io.edgefleet.gateway.tasks;

import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.payload.TaskOutput.Finding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration security benchmark: rules with stable ids evaluated on what was collected from the
 * node (file modes and owners, the bootstrap settings). Pure: no node access, so the rules are tested
 * on their own.
 */
final class ConfigurationRules {

    static final String AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";
    static final String CONFIG_DIR = "/etc/edgefleet";
    static final String PKI_DIR = "/etc/kubernetes/pki";

    private ConfigurationRules() {}

    /**
     * @param files         every file looked at, by path (bootstrap, authorized_keys, the spec's files, what
     *                      lies under /etc/edgefleet and /etc/kubernetes/pki)
     * @param bootstrap     the parsed bootstrap file, null when missing or unreadable
     * @param bootstrapError why the bootstrap could not be read (when {@code bootstrap} is null)
     */
    static List<Finding> evaluate(
            Map<String, FileStat> files, BootstrapSettings bootstrap, String bootstrapError, String clusterId) {
        List<Finding> findings = new ArrayList<>();
        FileStat boot = files.getOrDefault(BootstrapSettings.PATH, FileStat.missing(BootstrapSettings.PATH));
        findings.add(Findings.of(
                boot.exists() && !boot.any(0177),
                "EF-CS-1.1",
                "Bootstrap file " + BootstrapSettings.PATH + " has permissions 0600 or stricter",
                boot.evidence()));
        findings.add(Findings.of(
                boot.exists() && boot.rootOwned(),
                "EF-CS-1.2",
                "Bootstrap file " + BootstrapSettings.PATH + " is owned by root",
                boot.evidence()));

        List<FileStat> certificates = files.values().stream()
                .filter(f -> f.regularFile() && isCertificate(f.path()))
                .toList();
        if (certificates.isEmpty()) {
            findings.add(Findings.pass(
                    "EF-CS-2.1", "Certificate files are not writable by group or others", "no certificate files"));
            findings.add(Findings.pass("EF-CS-2.2", "Certificate files are owned by root", "no certificate files"));
        }
        for (FileStat cert : certificates) {
            findings.add(Findings.of(
                    !cert.any(0022),
                    "EF-CS-2.1",
                    "Certificate " + cert.path() + " is not writable by group or others",
                    cert.evidence()));
            findings.add(Findings.of(
                    cert.rootOwned(),
                    "EF-CS-2.2",
                    "Certificate " + cert.path() + " is owned by root",
                    cert.evidence()));
        }

        List<FileStat> keys = files.values().stream()
                .filter(f -> f.regularFile() && isPrivateKey(f.path()))
                .toList();
        if (keys.isEmpty()) {
            findings.add(Findings.pass(
                    "EF-CS-3.1", "Private key files have permissions 0600 or stricter", "no private key files"));
        }
        for (FileStat key : keys) {
            findings.add(Findings.of(
                    !key.any(0177),
                    "EF-CS-3.1",
                    "Private key " + key.path() + " has permissions 0600 or stricter",
                    key.evidence()));
        }

        FileStat ssh = files.getOrDefault(AUTHORIZED_KEYS, FileStat.missing(AUTHORIZED_KEYS));
        findings.add(Findings.of(
                !ssh.exists() || !ssh.any(0177),
                "EF-CS-4.1",
                "SSH " + AUTHORIZED_KEYS + " has permissions 0600 or stricter",
                ssh.exists() ? ssh.evidence() : "not present"));

        List<String> worldWritable = under(files.values(), CONFIG_DIR).stream()
                .filter(f -> f.any(0002))
                .map(FileStat::path)
                .toList();
        findings.add(Findings.of(
                worldWritable.isEmpty(),
                "EF-CS-5.1",
                "No world-writable files under " + CONFIG_DIR,
                worldWritable.isEmpty()
                        ? under(files.values(), CONFIG_DIR).size() + " file(s) checked"
                        : "world-writable: " + String.join(", ", worldWritable)));

        findings.addAll(bootstrapSettings(bootstrap, bootstrapError, clusterId));
        return findings;
    }

    private static List<Finding> bootstrapSettings(BootstrapSettings b, String error, String clusterId) {
        List<Finding> findings = new ArrayList<>();
        if (b == null) {
            String evidence = "bootstrap file unreadable: " + error;
            findings.add(Findings.fail("EF-CS-6.1", "Kubernetes version is set in the bootstrap", evidence));
            findings.add(Findings.fail("EF-CS-6.2", "Pod CIDR is set in the bootstrap", evidence));
            findings.add(Findings.fail("EF-CS-6.3", "Service CIDR is set in the bootstrap", evidence));
            findings.add(Findings.fail("EF-CS-6.4", "Bootstrap belongs to the node's cluster", evidence));
            findings.add(Findings.warn("EF-CS-6.5", "NTP servers are configured", evidence));
            return findings;
        }
        findings.add(Findings.of(
                b.kubernetesVersion() != null,
                "EF-CS-6.1",
                "Kubernetes version is set in the bootstrap",
                "kubernetes.version: " + b.kubernetesVersion()));
        findings.add(cidr("EF-CS-6.2", "Pod CIDR is set in the bootstrap", "kubernetes.podCIDR", b.podCidr()));
        findings.add(
                cidr("EF-CS-6.3", "Service CIDR is set in the bootstrap", "kubernetes.serviceCIDR", b.serviceCidr()));
        findings.add(Findings.of(
                Objects.equals(clusterId, b.clusterId()),
                "EF-CS-6.4",
                "Bootstrap belongs to the node's cluster",
                "expected cluster.id " + clusterId + ", found " + b.clusterId()));
        findings.add(
                b.ntpServers().isEmpty()
                        ? Findings.warn(
                                "EF-CS-6.5",
                                "NTP servers are configured",
                                "ntp.servers: none (clock drift breaks certificates)")
                        : Findings.pass(
                                "EF-CS-6.5",
                                "NTP servers are configured",
                                "ntp.servers: " + String.join(", ", b.ntpServers())));
        return findings;
    }

    private static Finding cidr(String id, String title, String key, String value) {
        if (value == null) {
            return Findings.fail(id, title, key + ": missing");
        }
        try {
            Cidr.parse(value);
            return Findings.pass(id, title, key + ": " + value);
        } catch (RuntimeException e) {
            return Findings.fail(id, title, key + ": '" + TaskInputs.shown(value) + "' is not a CIDR");
        }
    }

    static boolean isCertificate(String path) {
        return (path.endsWith(".crt") || path.endsWith(".pem") || path.endsWith(".cert")) && !isPrivateKey(path);
    }

    static boolean isPrivateKey(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.endsWith(".key") || name.endsWith("-key.pem") || name.endsWith("_key.pem");
    }

    private static List<FileStat> under(Collection<FileStat> files, String dir) {
        return files.stream()
                .filter(f -> f.exists() && f.path().startsWith(dir + "/"))
                .toList();
    }
}
