package io.edgefleet.events.payload;

import java.util.List;

/**
 * Payload of the policy commands on {@code gateway-commands} (scan, backup, restore, patch of one
 * node). Exactly one of {@code scan}, {@code backup}, {@code restore}, {@code patch} is set, matching
 * the CloudEvent type. Same exactly-once rules as {@link NodeCommand}: the gateway runs a
 * {@code commandId} once and answers a repeat with the recorded {@link CommandResult}.
 */
public record NodeTask(
        String commandId, String clusterId, String nodeId, Scan scan, Backup backup, Restore restore, Patch patch) {

    public enum ScanKind {
        /** the node's files and settings against a benchmark-style rule list */
        CONFIGURATION_SECURITY,
        /** the node's open ports probed from the gateway */
        PENETRATION,
        /** the node as it is against the spec it was created from (versions, CIDRs, labels, resources) */
        CONFORMANCE
    }

    /** @param forbiddenPorts penetration only: ports flagged when open, on top of the gateway's own list (may be empty) */
    public record Scan(ScanKind kind, List<Integer> forbiddenPorts) {}

    /**
     * Archive the node's state and upload it with one HTTP PUT to {@code uploadUrl} (a presigned URL of
     * the object store: the store's credentials never leave policy-service).
     *
     * @param paths                 data directories of the node to include (absolute); missing ones are skipped
     * @param includeConfiguration  also the cluster's rendered configuration on the node ({@code /etc/edgefleet})
     */
    public record Backup(String uploadUrl, String objectKey, List<String> paths, boolean includeConfiguration) {}

    /**
     * Download the archive with one HTTP GET, verify its size and SHA-256 before touching the node, then
     * put every archived directory back (replacing what is there). policy-service restores a cluster in
     * {@link Stage stages}, so that no node is touched before every node's archive has been verified.
     *
     * @param restoreConfiguration also put back {@code /etc/edgefleet} (restores into the cluster the backup
     *                             was taken from); off for a different cluster, which keeps its own configuration
     * @param stage                which part of a staged restore; null: download, verify and restore in one go
     */
    public record Restore(
            String downloadUrl, String sha256, long sizeBytes, boolean restoreConfiguration, Stage stage) {

        /** Download, verify and restore in one go (one node on its own). */
        public Restore(String downloadUrl, String sha256, long sizeBytes, boolean restoreConfiguration) {
            this(downloadUrl, sha256, sizeBytes, restoreConfiguration, null);
        }

        public Restore withStage(Stage stage) {
            return new Restore(downloadUrl, sha256, sizeBytes, restoreConfiguration, stage);
        }
    }

    /** The stages of a restore that is all or nothing across the nodes of a cluster. */
    public enum Stage {
        /** download the archive and verify it (size, SHA-256, every entry); keep it on the appliance; the node is not touched */
        VERIFY,
        /** restore the node from the kept archive (checked again; downloaded and verified again when it is gone) */
        APPLY,
        /**
         * the restore is over: forget what the gateway keeps for it (the verified archive when another node's failed
         * and the restore does not happen; the node's state before APPLY once every node was restored)
         */
        DISCARD,
        /** another node's APPLY failed: put this node back as it was before its APPLY (the gateway saved it) */
        UNDO
    }

    /**
     * Run {@code command} ({@code sh -c}) inside the node; the node needs a reboot when the command leaves
     * {@code /var/run/reboot-required} behind.
     */
    public record Patch(String command, boolean rebootIfRequired, int timeoutSeconds) {}
}
