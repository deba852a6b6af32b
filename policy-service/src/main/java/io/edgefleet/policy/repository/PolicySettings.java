package io.edgefleet.policy.repository;

import io.edgefleet.events.payload.NodeTask;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What a policy does; the part of its kind is set. Stored as JSON with the policy (and copied onto its runs). */
public record PolicySettings(Scan scan, Backup backup, Patch patch) {

    /** @param forbiddenPorts penetration tests flag these too (on top of the gateway's own list) */
    @Schema(name = "ScanSettings")
    public record Scan(List<NodeTask.ScanKind> kinds, List<Integer> forbiddenPorts) {}

    /**
     * @param paths                the nodes' data directories to archive
     * @param includeConfiguration also the cluster's rendered configuration on each node
     */
    public record Backup(StoreLocation store, List<String> paths, boolean includeConfiguration, Retention retention) {}

    /** Where archives go; the secret key is kept apart (encrypted column), never in here. */
    public record StoreLocation(String endpoint, String region, String bucket, String prefix, String accessKeyId) {}

    /** @param count backups kept per cluster; @param maxAgeDays older ones are deleted (0: no age limit) */
    @Schema(name = "RetentionSettings")
    public record Retention(int count, int maxAgeDays) {}

    /**
     * @param mode             RELINK: the newest OS release of the train, rolled by cluster-service; NODE_COMMAND: the
     *                         command inside each node. Stored rows from before modes existed have a command and no
     *                         mode: they read as NODE_COMMAND.
     * @param command          NODE_COMMAND only, else null
     * @param rebootIfRequired NODE_COMMAND only, else null
     * @param timeoutSeconds   NODE_COMMAND only (per node), else null
     */
    @Schema(name = "PatchSettings")
    public record Patch(PatchMode mode, String command, Boolean rebootIfRequired, Integer timeoutSeconds) {

        public Patch {
            if (mode == null) {
                mode = command != null ? PatchMode.NODE_COMMAND : PatchMode.RELINK;
            }
        }

        public static Patch relink() {
            return new Patch(PatchMode.RELINK, null, null, null);
        }
    }
}
