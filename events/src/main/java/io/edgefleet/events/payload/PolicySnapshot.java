package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * Payload of the policy lifecycle events: the policy after the change (never the object store's secret).
 *
 * @param cron        5-field cron expression, null when the policy runs on demand only
 * @param timeZone    IANA zone the cron expression is read in
 * @param osPatchMode OS_PATCH policies: {@link #OS_PATCH_RELINK} (cluster-service moves the OS layer to the newest
 *                    release of its train and rolls the nodes) or {@link #OS_PATCH_NODE_COMMAND} (a patch command
 *                    inside each node); null for other kinds
 */
public record PolicySnapshot(
        String id,
        String name,
        PolicyKind kind,
        String cron,
        String timeZone,
        List<String> clusterIds,
        Instant nextRunAt,
        Instant updatedAt,
        String osPatchMode) {

    public static final String OS_PATCH_RELINK = "RELINK";
    public static final String OS_PATCH_NODE_COMMAND = "NODE_COMMAND";

    /** A snapshot without OS patch mode (policies of other kinds; producers written before the mode existed). */
    public PolicySnapshot(
            String id,
            String name,
            PolicyKind kind,
            String cron,
            String timeZone,
            List<String> clusterIds,
            Instant nextRunAt,
            Instant updatedAt) {
        this(id, name, kind, cron, timeZone, clusterIds, nextRunAt, updatedAt, null);
    }

    /** Whether the clusters of this policy take new OS releases only when the policy runs. */
    public boolean holdsOsReleases() {
        return kind == PolicyKind.OS_PATCH && OS_PATCH_RELINK.equals(osPatchMode);
    }
}
