package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.gateway.nodes.NodeAccess;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CONFORMANCE scan: the node as it is against the {@link NodeSpec} it was created from (resources,
 * labels, every file's content, owner and mode, and the bootstrap's Kubernetes version and CIDRs).
 * Evidence is "expected X, found Y".
 */
final class ConformanceScan {

    private ConformanceScan() {}

    /** The node could not be found: the only finding. */
    static List<Finding> absent(String nodeId) {
        return List.of(Findings.fail("EF-CF-1.1", "Node exists", "expected node " + nodeId + ", found none"));
    }

    static List<Finding> run(NodeAccess node, NodeSpec spec) throws TaskFailedException {
        List<Finding> findings = new ArrayList<>();
        NodeStatus status = node.status();
        NodeAccess.NodeFacts facts = node.facts();
        findings.add(Findings.pass("EF-CF-1.1", "Node exists", "found " + status.ref()));
        boolean running = status.state() == NodeState.RUNNING;
        findings.add(Findings.compare("EF-CF-1.2", "Node is running", NodeState.RUNNING, status.state()));

        NodeSpec.Resources r = spec.resources();
        findings.add(Findings.compare("EF-CF-2.1", "CPU limit", r == null ? 0.0 : (double) r.cpus(), facts.cpus()));
        findings.add(
                Findings.compare("EF-CF-2.2", "Memory limit (MiB)", r == null ? 0L : r.memoryMb(), facts.memoryMb()));

        findings.add(Findings.compare(
                "EF-CF-3.1",
                "Node pool and role",
                spec.poolName() + "/" + spec.role(),
                facts.poolName() + "/" + facts.role()));
        findings.add(Findings.compare(
                "EF-CF-3.2",
                "Labels",
                new TreeMap<>(spec.labels() == null ? Map.of() : spec.labels()),
                new TreeMap<>(facts.labels())));

        if (!running) {
            findings.add(Findings.fail("EF-CF-4", "Files of the spec", "not checked: the node is not running"));
            return findings;
        }
        List<NodeSpec.NodeFile> files = spec.files() == null ? List.of() : spec.files();
        Map<String, FileStat> stats = files.isEmpty()
                ? Map.of()
                : NodeCommands.stat(
                        node, files.stream().map(NodeSpec.NodeFile::path).toList(), List.of());
        for (int i = 0; i < files.size(); i++) {
            NodeSpec.NodeFile file = files.get(i);
            FileStat stat = stats.getOrDefault(file.path(), FileStat.missing(file.path()));
            String found = stat.exists() ? NodeCommands.sha256(node, file.path()) : null;
            findings.add(fileFinding("EF-CF-4." + (i + 1), file, stat, found));
        }

        NodeSpec.NodeFile bootstrapFile = files.stream()
                .filter(f -> BootstrapSettings.PATH.equals(f.path()))
                .findFirst()
                .orElse(null);
        if (bootstrapFile != null) {
            BootstrapSettings expected = parseOrNull(bootstrapFile.content());
            String text = NodeCommands.read(node, BootstrapSettings.PATH, BootstrapSettings.MAX_BYTES);
            BootstrapSettings actual = text == null ? null : parseOrNull(text);
            findings.add(Findings.compare(
                    "EF-CF-5.1",
                    "Kubernetes version",
                    expected == null ? null : expected.kubernetesVersion(),
                    actual == null ? null : actual.kubernetesVersion()));
            findings.add(Findings.compare(
                    "EF-CF-5.2",
                    "Pod CIDR",
                    expected == null ? null : expected.podCidr(),
                    actual == null ? null : actual.podCidr()));
            findings.add(Findings.compare(
                    "EF-CF-5.3",
                    "Service CIDR",
                    expected == null ? null : expected.serviceCidr(),
                    actual == null ? null : actual.serviceCidr()));
        }
        return findings;
    }

    /** One finding per spec file: content (by SHA-256), owner and mode, each difference named. */
    static Finding fileFinding(String id, NodeSpec.NodeFile file, FileStat stat, String foundSha256) {
        String title = "File " + file.path() + " as in the spec";
        if (!stat.exists()) {
            return Findings.fail(id, title, "expected the file, found none");
        }
        List<String> differences = new ArrayList<>();
        String expectedSha = sha256(file.content() == null ? "" : file.content());
        if (!expectedSha.equals(foundSha256)) {
            differences.add(
                    "content: expected sha256 " + abbreviated(expectedSha) + ", found " + abbreviated(foundSha256));
        }
        String owner = file.owner() == null || file.owner().equals("root") ? "root:root" : file.owner();
        if (!sameOwner(owner, stat)) {
            differences.add("owner: expected " + owner + ", found " + stat.uid() + ":" + stat.gid()
                    + (stat.user() == null ? "" : " (" + stat.user() + ":" + stat.group() + ")"));
        }
        int mode = file.permissions() == null ? 0644 : Integer.parseInt(file.permissions(), 8);
        if (mode != stat.mode()) {
            differences.add(String.format("mode: expected %04o, found %04o", mode, stat.mode()));
        }
        return differences.isEmpty()
                ? Findings.pass(id, title, "same content, " + stat.evidence())
                : Findings.fail(id, title, String.join("; ", differences));
    }

    /**
     * Whether the file has the spec's owner, {@code "user:group"} with each side a number or a name (virtual nodes take
     * names, resolved on the node; NodeSpecChecks): a number is compared with the id, a name with the node's name.
     */
    static boolean sameOwner(String owner, FileStat stat) {
        String[] sides = owner.split(":", 2);
        return sides.length == 2
                && sameSide(sides[0], stat.uid(), stat.user())
                && sameSide(sides[1], stat.gid(), stat.group());
    }

    private static boolean sameSide(String expected, long id, String name) {
        if (!expected.isEmpty() && expected.chars().allMatch(Character::isDigit)) {
            return expected.length() <= 18 && Long.parseLong(expected) == id;
        }
        return expected.equals(name) || (expected.equals("root") && name == null && id == 0);
    }

    private static BootstrapSettings parseOrNull(String yaml) {
        try {
            return BootstrapSettings.parse(yaml);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviated(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
