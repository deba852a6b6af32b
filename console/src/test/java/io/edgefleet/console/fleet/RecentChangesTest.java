package io.edgefleet.console.fleet;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The overview's recent changes: the services' logs merged newest first, a bounded number shown. */
class RecentChangesTest {

    private static RecentChanges.Change change(String service, String action, String at) {
        return new RecentChanges.Change(
                service,
                "admin-a",
                action,
                "POST",
                "/v1/x",
                201,
                "SUCCEEDED",
                at == null ? null : OffsetDateTime.parse(at));
    }

    @Test
    void theServicesLogsAreMergedNewestFirstAndCut() {
        List<RecentChanges.Change> changes = List.of(
                change("appliance-service", "registerAppliance", "2026-12-06T10:00:00Z"),
                change("appliance-service", "updateTags", "2026-12-06T08:00:00Z"),
                change("cluster-service", "createCluster", "2026-12-06T09:00:00+02:00"), // 07:00Z
                change("policy-service", "createPolicy", "2026-12-06T09:30:00Z"),
                change("profile-service", "undated", null));
        assertEquals(
                List.of("registerAppliance", "createPolicy", "updateTags"),
                RecentChanges.newest(changes, 3).stream()
                        .map(RecentChanges.Change::action)
                        .toList());
        assertEquals(
                "undated", RecentChanges.newest(changes, 10).get(4).action(), "a change without a time comes last");
    }
}
