package io.edgefleet.events.payload;

import java.util.List;

/** What a policy command produced on the node (in {@link CommandResult#output()}); the part for its kind is set. */
public record TaskOutput(List<Finding> findings, Archive archive, PatchOutcome patch) {

    public enum FindingStatus {
        PASS,
        FAIL,
        WARN,
        /** the check could not be carried out (e.g. the node is unreachable): neither passed nor failed */
        ERROR
    }

    /**
     * One check of a scan.
     *
     * @param checkId  stable id of the rule, e.g. {@code EF-CS-1.1}
     * @param evidence what was found (a mode, an open port, an expected and an actual value)
     */
    public record Finding(String checkId, String title, FindingStatus status, String evidence) {}

    /** @param paths the directories the archive holds */
    public record Archive(String objectKey, long sizeBytes, String sha256, List<String> paths) {}

    /** @param output the command's output, at most 4 KiB (the end kept) */
    public record PatchOutcome(int exitCode, String output, boolean rebootRequired, boolean rebooted) {}
}
