package io.edgefleet.events.payload;

import io.edgefleet.events.EventJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appliance-events payload as consumers read it, from producers before and after the unreachable reason. */
class ApplianceSnapshotTest {

    @Test
    void anEventWrittenBeforeTheReasonReadsWithoutOne() {
        // as appliance-service wrote it before unreachableReason and unreachableSince (still on the topic)
        String old = """
                {"uid": "shop-1", "status": "UNREACHABLE", "name": "shop-1", "tags": {"name": "shop-1"},
                 "lastSeenAt": "2026-12-07T16:58:41Z", "usedByCluster": null, "version": 7,
                 "identity": {"status": "ENROLLED"}}
                """;

        ApplianceSnapshot snapshot = EventJson.read(old.getBytes(StandardCharsets.UTF_8), ApplianceSnapshot.class);

        assertEquals(ApplianceStatus.UNREACHABLE, snapshot.status());
        assertEquals(7, snapshot.version());
        assertNull(snapshot.unreachableReason());
        assertNull(snapshot.unreachableSince());
    }

    @Test
    void theReasonAndItsTimeSurviveTheRoundTrip() {
        Instant dropped = Instant.parse("2026-12-07T17:02:13Z");
        ApplianceSnapshot lost = new ApplianceSnapshot(
                "shop-2",
                ApplianceStatus.UNREACHABLE,
                "shop-2",
                Map.of(),
                null,
                null,
                null,
                "online",
                null,
                null,
                null,
                Instant.parse("2026-12-07T16:58:41Z"),
                null,
                3,
                null,
                UnreachableReason.LINK_LOST,
                dropped);

        String json = new String(EventJson.write(lost), StandardCharsets.UTF_8);
        ApplianceSnapshot read = EventJson.read(json.getBytes(StandardCharsets.UTF_8), ApplianceSnapshot.class);

        assertEquals(lost, read);
        // as the AsyncAPI document says: the enum's name and an ISO-8601 time
        assertTrue(json.contains("\"unreachableReason\":\"LINK_LOST\""), json);
        assertTrue(json.contains("\"unreachableSince\":\"2026-12-07T17:02:13Z\""), json);
    }
}
