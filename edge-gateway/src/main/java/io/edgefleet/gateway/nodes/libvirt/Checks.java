package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeNames;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of everything that ends up in libvirt names, domain XML, volume XML or the guest's
 * bootstrap document. Names are checked against strict patterns; free text (labels, file contents,
 * environment values) is only checked for characters XML 1.0 cannot carry, because the XML writer
 * escapes everything else. Every failure is an {@link IllegalArgumentException} naming the field.
 */
final class Checks {

    /** Storage pool, volume and network names: what libvirt and a directory pool accept without surprises. */
    static final Pattern LIBVIRT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** {@code 0-3,6}: CPU numbers and ranges, comma separated. */
    static final Pattern CPU_SET = Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?)*");
    /** RFC 1123 host name, lowercase (Kubernetes node names are lowercase). */
    static final Pattern HOSTNAME = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final Pattern OWNER = Pattern.compile("([a-z_][a-z0-9_-]{0,31}|\\d{1,10})(:([a-z_][a-z0-9_-]{0,31}|\\d{1,10}))?");
    static final Pattern PERMISSIONS = Pattern.compile("0?[0-7]{3,4}");

    static final int MAX_CPUS = 512;
    static final long MIN_MEMORY_MB = 64;
    static final long MAX_MEMORY_MB = 16L * 1024 * 1024;
    static final int MAX_DISK_GB = 64 * 1024;
    static final int MAX_CPU_INDEX = 4095;
    static final int MAX_TEXT = 1024 * 1024;

    private Checks() {
    }

    static String tenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant '" + tenant + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return tenant;
    }

    static String libvirtName(String value, String what) {
        if (value == null || !LIBVIRT_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " '" + printable(value)
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    static String pool(String poolName) {
        if (poolName == null || !NodeNames.POOL.matcher(poolName).matches()) {
            throw new IllegalArgumentException("node pool '" + printable(poolName) + "' must be 1 to 63 lowercase letters, digits or '-'");
        }
        return poolName;
    }

    /** Checks a cpuset like {@code 0-3,6} and returns its highest CPU number. */
    static int cpuSet(String cpuSet) {
        if (!CPU_SET.matcher(cpuSet).matches()) {
            throw new IllegalArgumentException("cpu set '" + printable(cpuSet) + "' must look like 0-3,6");
        }
        int highest = 0;
        for (String part : cpuSet.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (from > to || to > MAX_CPU_INDEX) {
                throw new IllegalArgumentException("cpu set '" + cpuSet + "': bad range '" + part + "'");
            }
            highest = Math.max(highest, to);
        }
        return highest;
    }

    static String hostname(String hostname) {
        if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("hostname '" + printable(hostname) + "' must be a lowercase RFC 1123 host name");
        }
        return hostname;
    }

    static String commandId(String commandId) {
        if (commandId != null) {
            text(commandId, "command id", 256);
        }
        return commandId;
    }

    /** Every field of a spec for a virtualized node. */
    static void spec(NodeSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("node spec is missing");
        }
        NodeNames.checkId(spec.clusterId(), "cluster id");
        NodeNames.checkId(spec.nodeId(), "node id");
        pool(spec.poolName());
        if (spec.role() == null) {
            throw new IllegalArgumentException("role is missing");
        }
        if (spec.hostname() != null) {
            hostname(spec.hostname());
        }
        NodeSpec.Resources r = spec.resources();
        if (r == null) {
            throw new IllegalArgumentException("resources are missing");
        }
        if (r.cpus() < 1 || r.cpus() > MAX_CPUS) {
            throw new IllegalArgumentException("cpus " + r.cpus() + " must be 1 to " + MAX_CPUS);
        }
        if (r.memoryMb() < MIN_MEMORY_MB || r.memoryMb() > MAX_MEMORY_MB) {
            throw new IllegalArgumentException("memoryMb " + r.memoryMb() + " must be " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB);
        }
        if (r.rootDiskGb() < 1 || r.rootDiskGb() > MAX_DISK_GB) {
            throw new IllegalArgumentException("rootDiskGb " + r.rootDiskGb() + " must be 1 to " + MAX_DISK_GB);
        }
        if (r.cpuSet() != null) {
            cpuSet(r.cpuSet());
        }
        libvirtName(spec.image(), "base image volume");
        NodeSpec.VirtualPlacement p = spec.placement();
        if (p == null) {
            throw new IllegalArgumentException("placement is missing (a virtualized node needs pools and a network)");
        }
        if (!"network".equals(p.networkType()) && !"bridge".equals(p.networkType())) {
            throw new IllegalArgumentException("network type '" + printable(p.networkType()) + "' must be 'network' or 'bridge'");
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
        if (spec.sshAuthorizedKeys() != null) {
            for (String key : spec.sshAuthorizedKeys()) {
                text(key, "ssh authorized key", 16 * 1024);
                if (key.isBlank() || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("an ssh authorized key must be one non-empty line");
                }
            }
        }
        if (spec.env() != null) {
            for (Map.Entry<String, String> e : spec.env().entrySet()) {
                if (e.getKey() == null || !ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("environment variable name '" + printable(e.getKey()) + "' is not valid");
                }
                text(e.getValue(), "environment variable " + e.getKey(), 64 * 1024);
            }
        }
        if (spec.files() != null) {
            for (NodeSpec.NodeFile f : spec.files()) {
                file(f);
            }
        }
        if (spec.labels() != null) {
            for (Map.Entry<String, String> e : spec.labels().entrySet()) {
                text(e.getKey(), "label name", 256);
                if (e.getKey().isEmpty()) {
                    throw new IllegalArgumentException("label name must not be empty");
                }
                text(e.getValue(), "label " + printable(e.getKey()), 4096);
            }
        }
    }

    static void file(NodeSpec.NodeFile f) {
        if (f == null || f.path() == null) {
            throw new IllegalArgumentException("node file without a path");
        }
        String path = f.path();
        text(path, "file path", 4096);
        if (!path.startsWith("/") || path.contains("//") || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0
                || path.endsWith("/")) {
            throw new IllegalArgumentException("file path '" + printable(path) + "' must be an absolute path to a file");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("file path '" + printable(path) + "' must not contain . or ..");
            }
        }
        text(f.content() == null ? "" : f.content(), "content of " + path, MAX_TEXT);
        if (f.owner() != null && !OWNER.matcher(f.owner()).matches()) {
            throw new IllegalArgumentException("owner '" + printable(f.owner()) + "' of " + path + " must look like root:root");
        }
        if (f.permissions() != null && !PERMISSIONS.matcher(f.permissions()).matches()) {
            throw new IllegalArgumentException("permissions '" + printable(f.permissions()) + "' of " + path + " must be octal like 0644");
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
            throw new IllegalArgumentException(what + " contains characters that cannot be stored (control characters)");
        }
        return value;
    }

    /** For error messages: the value without control characters, shortened. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String clean = value.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
    }
}
