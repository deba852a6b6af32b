package io.edgefleet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * Payload of the policy lifecycle events: the policy after the change (never the object store's secret).
 *
 * @param cron     5-field cron expression, null when the policy runs on demand only
 * @param timeZone IANA zone the cron expression is read in
 */
public record PolicySnapshot(String id, String name, PolicyKind kind, String cron, String timeZone,
                             List<String> clusterIds, Instant nextRunAt, Instant updatedAt) {
}
