package io.edgefleet.gateway.nodes;

import io.edgefleet.events.payload.NodeSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The node-spec rules every driver applies before its first request: a spec comes from the cloud, and a
 * hostile or broken one must not leave half a node behind or put anything into a name, a path or a
 * file's owner and mode that the node does not expect. What only one driver needs (Docker's image
 * references and labels, libvirt's placement, sizes and XML-storable text) is checked in its package,
 * after this. Every failure is an {@link IllegalArgumentException} naming the field.
 */
public final class NodeSpecChecks {

    /** RFC 1123 host name, lowercase (Kubernetes node names are lowercase). */
    public static final Pattern HOSTNAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** {@code 0-3,6}: CPU numbers and ranges, at most 64 of them, comma separated. */
    public static final Pattern CPU_SET = Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?){0,63}");

    public static final int MAX_CPU_INDEX = 4095;
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    public static final int MAX_ENV_VALUE = 64 * 1024;
    public static final int MAX_SSH_KEY = 16 * 1024;
    /**
     * File owners every driver can apply: {@code root}, {@code root:root} or numeric {@code uid:gid}. Numbers
     * need no user database on the node; a driver that can resolve names passes a wider rule to {@link #check}.
     */
    public static final Pattern NUMERIC_OWNER = Pattern.compile("root(:root)?|\\d{1,9}:\\d{1,9}");
    /** Octal file mode, 3 or 4 digits (setuid, setgid and sticky in the fourth). */
    public static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    /** Where every driver puts the spec's SSH keys: no file of the spec may take that path. */
    public static final String AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";

    private NodeSpecChecks() {}

    /**
     * Everything of {@code spec} that means the same on every kind of node.
     *
     * @param owners      the file owners the driver can apply, {@link #NUMERIC_OWNER} or wider
     * @param ownersShape how that rule reads in an error message, e.g. "numeric uid:gid or root"
     */
    public static void check(NodeSpec spec, Pattern owners, String ownersShape) {
        if (spec == null) {
            throw new IllegalArgumentException("node spec is missing");
        }
        NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        if (spec.poolName() == null || !NodeNames.POOL.matcher(spec.poolName()).matches()) {
            throw new IllegalArgumentException(
                    "pool name '" + shown(spec.poolName()) + "' must be 1 to 63 lowercase letters, digits or '-'");
        }
        if (spec.role() == null) {
            throw new IllegalArgumentException("node role is missing");
        }
        if (spec.hostname() != null && !HOSTNAME.matcher(spec.hostname()).matches()) {
            throw new IllegalArgumentException(
                    "hostname '" + shown(spec.hostname()) + "' must be a lowercase RFC 1123 host name");
        }
        if (spec.resources() != null && spec.resources().cpuSet() != null) {
            cpuSet(spec.resources().cpuSet());
        }
        checkEnv(spec.env());
        checkKeys(spec.sshAuthorizedKeys());
        checkFiles(
                spec.files(),
                spec.sshAuthorizedKeys() != null && !spec.sshAuthorizedKeys().isEmpty(),
                owners,
                ownersShape);
    }

    /** Checks a cpuset like {@code 0-3,6} and returns its highest CPU number. */
    public static int cpuSet(String cpuSet) {
        if (!CPU_SET.matcher(cpuSet).matches()) {
            throw new IllegalArgumentException("cpu set '" + shown(cpuSet) + "' must look like 0-3,6");
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

    /** Absolute, normalised (no '.', '..' or empty segments) and printable: a file's name on the node. */
    public static void checkPath(String path) {
        if (path == null
                || !path.startsWith("/")
                || path.length() > 4096
                || path.endsWith("/")
                || path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "file path '" + shown(path) + "' must be an absolute path to a file, without control characters");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "file path '" + shown(path) + "' must not contain '.', '..' or '//'");
            }
        }
    }

    /** A rejected value as it may appear in a message and a log line: one line, bounded. */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String oneLine = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }

    /** One variable per line in the node's environment: a line break in a value would start another. */
    private static void checkEnv(Map<String, String> env) {
        if (env == null) {
            return;
        }
        env.forEach((name, value) -> {
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "environment variable name '" + shown(name) + "' is not [A-Za-z_][A-Za-z0-9_]*");
            }
            if (value == null || value.length() > MAX_ENV_VALUE || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("environment variable " + name
                        + " has no value, control characters or more than " + MAX_ENV_VALUE + " characters");
            }
        });
    }

    /** One key per line of authorized_keys. */
    private static void checkKeys(List<String> keys) {
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            if (key == null
                    || key.isBlank()
                    || key.length() > MAX_SSH_KEY
                    || key.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "an SSH key is empty, longer than " + MAX_SSH_KEY + " characters or spans several lines");
            }
        }
    }

    /** Each path once: of two files (or a file and the SSH keys) at one path, the later would silently replace the earlier. */
    private static void checkFiles(List<NodeSpec.NodeFile> files, boolean keys, Pattern owners, String ownersShape) {
        Set<String> paths = new HashSet<>();
        if (keys) {
            paths.add(AUTHORIZED_KEYS);
        }
        for (NodeSpec.NodeFile file : files == null ? List.<NodeSpec.NodeFile>of() : files) {
            if (file == null) {
                throw new IllegalArgumentException("a file entry is missing");
            }
            checkPath(file.path());
            if (!paths.add(file.path())) {
                throw new IllegalArgumentException(
                        "file " + file.path() + " is given twice (the SSH keys go to " + AUTHORIZED_KEYS + ")");
            }
            if (file.owner() != null && !owners.matcher(file.owner()).matches()) {
                throw new IllegalArgumentException(
                        "owner '" + shown(file.owner()) + "' of " + file.path() + " must be " + ownersShape);
            }
            if (file.permissions() != null && !MODE.matcher(file.permissions()).matches()) {
                throw new IllegalArgumentException("permissions '" + shown(file.permissions()) + "' of " + file.path()
                        + " must be octal like 0644");
            }
        }
    }
}
