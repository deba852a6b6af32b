package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeNames;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks everything of a {@link NodeSpec} that ends up in a Docker request (names, labels, env, paths)
 * before the first request is sent: a spec comes from the cloud, and a hostile or broken one must not
 * leave half a node behind. Throws {@link IllegalArgumentException} naming the offending field.
 */
final class SpecChecks {

    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,128}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** RFC 1123 labels, dot-separated, at most 253 characters in all. */
    static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final Pattern CPU_SET = Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?){0,63}");
    /** A Docker image reference: repository[:tag][@digest], no spaces or shell characters. */
    static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}", Pattern.CASE_INSENSITIVE);
    static final Pattern OWNER = Pattern.compile("root(:root)?|\\d{1,9}:\\d{1,9}");
    static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    /** Docker refuses less than 6 MiB. */
    static final long MIN_MEMORY_MB = 6;
    /** Files and keys travel in one in-memory tar: configs and certificates, not payloads. */
    static final long MAX_FILES_BYTES = 8L * 1024 * 1024;

    private SpecChecks() {
    }

    static void check(NodeSpec spec, String commandId) {
        if (spec == null) {
            throw new IllegalArgumentException("node spec is missing");
        }
        NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        checkPool(spec.poolName());
        if (spec.role() == null) {
            throw new IllegalArgumentException("node role is missing");
        }
        labelValue(commandId, "command id");
        if (spec.hostname() != null && !HOSTNAME.matcher(spec.hostname()).matches()) {
            throw new IllegalArgumentException("hostname '" + shown(spec.hostname()) + "' is not an RFC 1123 host name");
        }
        if (spec.image() == null || !IMAGE.matcher(spec.image()).matches()) {
            throw new IllegalArgumentException("image '" + shown(spec.image()) + "' is not a Docker image reference");
        }
        checkResources(spec.resources());
        checkLabels(spec.labels());
        checkEnv(spec.env());
        checkFiles(spec.files(), spec.sshAuthorizedKeys());
    }

    static String checkPool(String pool) {
        if (pool == null || !NodeNames.POOL.matcher(pool).matches()) {
            throw new IllegalArgumentException("pool name '" + shown(pool) + "' must be 1 to 63 lowercase letters, digits or '-'");
        }
        return pool;
    }

    /** Label values (and the command id) are free text for people, but one line of printable characters. */
    static String labelValue(String value, String what) {
        if (value == null || value.length() > 1024 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be at most 1024 characters without control characters");
        }
        return value;
    }

    private static void checkResources(NodeSpec.Resources resources) {
        if (resources == null) {
            return;
        }
        if (resources.cpus() < 0) {
            throw new IllegalArgumentException("cpus must not be negative");
        }
        if (resources.memoryMb() != 0 && resources.memoryMb() < MIN_MEMORY_MB) {
            throw new IllegalArgumentException("memoryMb must be 0 (no limit) or at least " + MIN_MEMORY_MB);
        }
        if (resources.cpuSet() != null && !CPU_SET.matcher(resources.cpuSet()).matches()) {
            throw new IllegalArgumentException("cpuSet '" + shown(resources.cpuSet()) + "' must look like 0-3,6");
        }
    }

    private static void checkLabels(Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("label key '" + shown(key) + "' may only use letters, digits and . _ / -");
            }
            labelValue(value, "label '" + key + "'");
        });
    }

    private static void checkEnv(Map<String, String> env) {
        if (env == null) {
            return;
        }
        env.forEach((name, value) -> {
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("environment variable name '" + shown(name) + "' is not [A-Za-z_][A-Za-z0-9_]*");
            }
            if (value == null || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("environment variable " + name + " has no value or control characters in it");
            }
        });
    }

    private static void checkFiles(List<NodeSpec.NodeFile> files, List<String> sshKeys) {
        Set<String> paths = new HashSet<>();
        long bytes = 0;
        if (sshKeys != null && !sshKeys.isEmpty()) {
            paths.add(NodeFilesArchive.AUTHORIZED_KEYS);
            for (String key : sshKeys) {
                if (key == null || key.isBlank() || key.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("an SSH key is empty or spans several lines");
                }
                bytes += key.length() + 1;
            }
        }
        for (NodeSpec.NodeFile file : files == null ? List.<NodeSpec.NodeFile>of() : files) {
            if (file == null) {
                throw new IllegalArgumentException("a file entry is missing");
            }
            checkPath(file.path());
            if (!paths.add(file.path())) {
                throw new IllegalArgumentException("file " + file.path() + " is given twice (the SSH keys go to "
                        + NodeFilesArchive.AUTHORIZED_KEYS + ")");
            }
            if (file.owner() != null && !OWNER.matcher(file.owner()).matches()) {
                throw new IllegalArgumentException("owner '" + shown(file.owner()) + "' of " + file.path() + " must be numeric uid:gid or root");
            }
            if (file.permissions() != null && !MODE.matcher(file.permissions()).matches()) {
                throw new IllegalArgumentException("permissions '" + shown(file.permissions()) + "' of " + file.path() + " must be octal like 0644");
            }
            bytes += file.content() == null ? 0 : file.content().length() * 4L;  // worst case UTF-8
        }
        if (bytes > MAX_FILES_BYTES) {
            throw new IllegalArgumentException("files and keys exceed " + MAX_FILES_BYTES / 1024 / 1024 + " MiB");
        }
    }

    /** Absolute, normalised (no '.', '..' or empty segments) and printable: it is a tar entry name. */
    static void checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.length() > 4096 || path.endsWith("/")
                || path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("file path '" + shown(path) + "' must be an absolute path to a file, without control characters");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("file path '" + shown(path) + "' must not contain '.', '..' or '//'");
            }
        }
    }

    /** A rejected value as it may appear in a message and a log line: one line, bounded. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String oneLine = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }
}
