package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeSpecChecks;

import java.util.Map;
import java.util.regex.Pattern;

import static io.edgefleet.gateway.nodes.NodeSpecChecks.shown;

/**
 * Checks a {@link NodeSpec} for a virtualized node: the rules of every node ({@link NodeSpecChecks}), then
 * what ends up in libvirt names, domain XML, volume XML or the guest's bootstrap document only. Names
 * are checked against strict patterns; free text (labels, file contents, environment values) is only
 * checked for characters XML 1.0 cannot carry, because the XML writer escapes everything else. Every
 * failure is an {@link IllegalArgumentException} naming the field.
 */
final class DomainSpecChecks {

    /** Storage pool, volume and network names: what libvirt and a directory pool accept without surprises. */
    static final Pattern LIBVIRT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");
    private static final String USER_OR_ID = "([a-z_][a-z0-9_-]{0,31}|\\d{1,9})";
    /**
     * Wider than {@link NodeSpecChecks#NUMERIC_OWNER}: the guest applies the owner with chown at first boot,
     * which resolves user and group names in its own /etc/passwd and /etc/group (the cloud sends e.g.
     * {@code ubuntu:ubuntu} for virtualized nodes). The group is required but for plain {@code root}.
     */
    static final Pattern OWNER = Pattern.compile("root|" + USER_OR_ID + ":" + USER_OR_ID);

    static final int MAX_CPUS = 512;
    static final long MIN_MEMORY_MB = 64;
    static final long MAX_MEMORY_MB = 16L * 1024 * 1024;
    static final int MAX_DISK_GB = 64 * 1024;
    static final int MAX_TEXT = 1024 * 1024;

    private DomainSpecChecks() {}

    static String tenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(
                    "tenant '" + tenant + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return tenant;
    }

    static String libvirtName(String value, String what) {
        if (value == null || !LIBVIRT_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(
                    what + " '" + shown(value) + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    static String commandId(String commandId) {
        if (commandId != null) {
            text(commandId, "command id", 256);
        }
        return commandId;
    }

    /** Every field of a spec for a virtualized node. */
    static void spec(NodeSpec spec) {
        NodeSpecChecks.check(spec, OWNER, "user:group (names or numbers) or root");
        NodeSpec.Resources r = spec.resources();
        if (r == null) {
            throw new IllegalArgumentException("resources are missing");
        }
        if (r.cpus() < 1 || r.cpus() > MAX_CPUS) {
            throw new IllegalArgumentException("cpus " + r.cpus() + " must be 1 to " + MAX_CPUS);
        }
        if (r.memoryMb() < MIN_MEMORY_MB || r.memoryMb() > MAX_MEMORY_MB) {
            throw new IllegalArgumentException(
                    "memoryMb " + r.memoryMb() + " must be " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB);
        }
        if (r.rootDiskGb() < 1 || r.rootDiskGb() > MAX_DISK_GB) {
            throw new IllegalArgumentException("rootDiskGb " + r.rootDiskGb() + " must be 1 to " + MAX_DISK_GB);
        }
        libvirtName(spec.image(), "base image volume");
        NodeSpec.VirtualPlacement p = spec.placement();
        if (p == null) {
            throw new IllegalArgumentException("placement is missing (a virtualized node needs pools and a network)");
        }
        if (!"network".equals(p.networkType()) && !"bridge".equals(p.networkType())) {
            throw new IllegalArgumentException(
                    "network type '" + shown(p.networkType()) + "' must be 'network' or 'bridge'");
        }
        libvirtName(p.networkName(), "network".equals(p.networkType()) ? "network name" : "bridge name");
        libvirtName(p.imagePool(), "image pool");
        libvirtName(p.targetPool(), "target pool");
        if (p.dataDiskGb() < 0 || p.dataDiskGb() > MAX_DISK_GB) {
            throw new IllegalArgumentException("dataDiskGb " + p.dataDiskGb() + " must be 0 to " + MAX_DISK_GB);
        }
        if (p.dataDiskGb() > 0) {
            libvirtName(p.dataPool(), "data pool");
        } else if (p.dataPool() != null) {
            libvirtName(p.dataPool(), "data pool");
        }
        // the bootstrap document lives in the domain's XML metadata: everything in it must be XML text
        if (spec.sshAuthorizedKeys() != null) {
            for (String key : spec.sshAuthorizedKeys()) {
                text(key, "ssh authorized key", NodeSpecChecks.MAX_SSH_KEY);
            }
        }
        if (spec.env() != null) {
            for (Map.Entry<String, String> e : spec.env().entrySet()) {
                text(e.getValue(), "environment variable " + e.getKey(), NodeSpecChecks.MAX_ENV_VALUE);
            }
        }
        if (spec.files() != null) {
            for (NodeSpec.NodeFile f : spec.files()) {
                text(f.path(), "file path", 4096);
                text(f.content() == null ? "" : f.content(), "content of " + f.path(), MAX_TEXT);
            }
        }
        if (spec.labels() != null) {
            for (Map.Entry<String, String> e : spec.labels().entrySet()) {
                text(e.getKey(), "label name", 256);
                if (e.getKey().isEmpty()) {
                    throw new IllegalArgumentException("label name must not be empty");
                }
                text(e.getValue(), "label " + shown(e.getKey()), 4096);
            }
        }
    }

    /** Free text: any length-limited string of characters that XML 1.0 can carry. */
    static String text(String value, String what, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " is longer than " + maxLength + " characters");
        }
        if (!Xml.isXmlText(value)) {
            throw new IllegalArgumentException(
                    what + " contains characters that cannot be stored (control characters)");
        }
        return value;
    }
}
