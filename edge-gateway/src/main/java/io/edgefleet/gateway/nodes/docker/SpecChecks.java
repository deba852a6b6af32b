package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeSpecChecks;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.edgefleet.gateway.nodes.NodeSpecChecks.shown;

/**
 * Checks a {@link NodeSpec} for a container: the rules of every node ({@link NodeSpecChecks}), then what
 * ends up in a Docker request only (image reference, labels, limits, the files' tar) before the first
 * request is sent. Throws {@link IllegalArgumentException} naming the offending field.
 */
final class SpecChecks {

    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,128}");
    /** A Docker image reference: repository[:tag][@digest], no spaces or shell characters. */
    static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}", Pattern.CASE_INSENSITIVE);
    /** Docker refuses less than 6 MiB. */
    static final long MIN_MEMORY_MB = 6;
    /** Files and keys travel in one in-memory tar: configs and certificates, not payloads. */
    static final long MAX_FILES_BYTES = 8L * 1024 * 1024;

    private SpecChecks() {}

    static void check(NodeSpec spec, String commandId) {
        // a tar entry carries numeric ids only: names would need the image's /etc/passwd
        NodeSpecChecks.check(spec, NodeSpecChecks.NUMERIC_OWNER, "numeric uid:gid or root");
        labelValue(commandId, "command id");
        if (spec.image() == null || !IMAGE.matcher(spec.image()).matches()) {
            throw new IllegalArgumentException("image '" + shown(spec.image()) + "' is not a Docker image reference");
        }
        checkResources(spec.resources());
        checkLabels(spec.labels());
        checkFilesSize(spec.files(), spec.sshAuthorizedKeys());
    }

    /** Label values (and the command id) are free text for people, but one line of printable characters. */
    static String labelValue(String value, String what) {
        if (value == null || value.length() > 1024 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be at most 1024 characters without control characters");
        }
        return value;
    }

    /** 0 means no limit; the cpuset was checked with the rules of every node. */
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
    }

    private static void checkLabels(Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        "label key '" + shown(key) + "' may only use letters, digits and . _ / -");
            }
            labelValue(value, "label '" + key + "'");
        });
    }

    private static void checkFilesSize(List<NodeSpec.NodeFile> files, List<String> sshKeys) {
        long bytes = 0;
        for (String key : sshKeys == null ? List.<String>of() : sshKeys) {
            bytes += key.length() + 1;
        }
        for (NodeSpec.NodeFile file : files == null ? List.<NodeSpec.NodeFile>of() : files) {
            bytes += file.content() == null ? 0 : file.content().length() * 4L; // worst case UTF-8
        }
        if (bytes > MAX_FILES_BYTES) {
            throw new IllegalArgumentException("files and keys exceed " + MAX_FILES_BYTES / 1024 / 1024 + " MiB");
        }
    }
}
