package io.edgefleet.console.web;

import io.edgefleet.console.fleet.ApplianceListing;
import io.edgefleet.console.fleet.FleetOverview;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.EdgeIdentity;
import io.edgefleet.sdk.model.EdgeIdentityStatus;
import io.edgefleet.sdk.model.UnreachableReason;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The appliance pages' templates (and the overview's unreachable list) rendered with given appliances (as
 * appliance-service's API reads them): why an appliance is UNREACHABLE next to its status, and nothing more when the
 * service gives no reason. Getting a real
 * appliance UNREACHABLE in the browser tests' stack takes the heartbeat timeout; what the pages do with the fields
 * is this test's.
 */
@QuarkusTest
class AppliancePagesRenderingTest {

    static final OffsetDateTime DROPPED = OffsetDateTime.of(2026, 12, 7, 17, 2, 13, 0, ZoneOffset.UTC);
    static final OffsetDateTime LAST_REPORT = OffsetDateTime.of(2026, 12, 7, 16, 58, 41, 0, ZoneOffset.UTC);

    @Test
    void theDetailSaysTheLinkWasLostAndWhen() {
        String page = AppliancePages.Templates.detail(unreachable("shop-1", UnreachableReason.LINK_LOST, DROPPED))
                .render();

        assertTrue(
                page.contains("<span id=\"appliance-unreachable\">— link lost at 2026-12-07T17:02:13Z</span>"), page);
        assertTrue(page.contains(">UNREACHABLE</span>"), page);
    }

    @Test
    void theDetailSaysHeartbeatsWereMissedSinceTheLastReport() {
        String page = AppliancePages.Templates.detail(
                        unreachable("shop-2", UnreachableReason.HEARTBEATS_MISSED, LAST_REPORT))
                .render();

        assertTrue(
                page.contains(
                        "<span id=\"appliance-unreachable\">— heartbeats missed since 2026-12-07T16:58:41Z</span>"),
                page);
        assertFalse(page.contains("link lost"), page);
    }

    @Test
    void aReasonWithoutATimeIsShownAlone() {
        String page = AppliancePages.Templates.detail(unreachable("shop-3", UnreachableReason.LINK_LOST, null))
                .render();

        assertTrue(page.contains("<span id=\"appliance-unreachable\">— link lost</span>"), page);
    }

    @Test
    void withoutAReasonTheDetailShowsTheStatusAloneAsBefore() {
        // turned UNREACHABLE before the service kept reasons: both fields null
        String page = AppliancePages.Templates.detail(unreachable("shop-4", null, null))
                .render();

        assertTrue(page.contains("id=\"appliance-status\">UNREACHABLE</span></dd>"), page);
        assertNoReason(page);
    }

    @Test
    void anApplianceThatIsNotUnreachableShowsNoReason() {
        // the service clears them when it comes back; a stale one would contradict the status
        ApplianceView ready =
                unreachable("shop-5", UnreachableReason.LINK_LOST, DROPPED).status(ApplianceStatus.READY);

        String page = AppliancePages.Templates.detail(ready).render();

        assertTrue(page.contains("id=\"appliance-status\">READY</span></dd>"), page);
        assertNoReason(page);
    }

    @Test
    void theListHintsWhyUnderAnUnreachableStatusAndNothingElsewhere() {
        ApplianceListing listing = new ApplianceListing(
                null,
                null,
                null,
                List.of(
                        unreachable("shop-lost", UnreachableReason.LINK_LOST, DROPPED),
                        unreachable("shop-silent", UnreachableReason.HEARTBEATS_MISSED, LAST_REPORT),
                        unreachable("shop-old", null, null),
                        unreachable("shop-ready", null, null).status(ApplianceStatus.READY)),
                4,
                false,
                null);

        String rows = AppliancePages.Templates.list$rows(listing).render();

        assertEquals(
                "<div class=\"hint muted unreachable\" title=\"link lost at 2026-12-07T17:02:13Z\">link lost</div>",
                statusCell(rows, "shop-lost").replaceFirst("^.*?</span>", ""));
        assertEquals(
                "<div class=\"hint muted unreachable\" title=\"heartbeats missed since 2026-12-07T16:58:41Z\">"
                        + "heartbeats missed</div>",
                statusCell(rows, "shop-silent").replaceFirst("^.*?</span>", ""));
        assertEquals("<span class=\"status status-UNREACHABLE\">UNREACHABLE</span>", statusCell(rows, "shop-old"));
        assertEquals("<span class=\"status status-READY\">READY</span>", statusCell(rows, "shop-ready"));
    }

    @Test
    void theOverviewSaysWhyEachUnreachableApplianceNeedsAttention() {
        FleetOverview overview = new FleetOverview(
                Map.of("UNREACHABLE", 3L),
                List.of(
                        unreachable("shop-lost", UnreachableReason.LINK_LOST, DROPPED),
                        unreachable("shop-silent", UnreachableReason.HEARTBEATS_MISSED, LAST_REPORT),
                        unreachable("shop-old", null, null)),
                3,
                Map.of(),
                List.of(),
                0,
                null,
                null);

        String figures = OverviewPage.Templates.overview$figures(overview).render();

        assertEquals(
                "<span class=\"muted\">last seen 2026-12-07T16:58:41Z</span>"
                        + " <span class=\"unreachable\">— link lost at 2026-12-07T17:02:13Z</span>",
                overviewEntry(figures, "shop-lost"));
        assertEquals(
                "<span class=\"muted\">last seen 2026-12-07T16:58:41Z</span>"
                        + " <span class=\"unreachable\">— heartbeats missed since 2026-12-07T16:58:41Z</span>",
                overviewEntry(figures, "shop-silent"));
        assertEquals("<span class=\"muted\">last seen 2026-12-07T16:58:41Z</span>", overviewEntry(figures, "shop-old"));
    }

    private static void assertNoReason(String page) {
        assertFalse(page.contains("appliance-unreachable"), page);
        assertFalse(page.contains("link lost"), page);
        assertFalse(page.contains("heartbeats missed"), page);
        assertFalse(page.contains("—"), page);
    }

    /** The status cell (third) of the row of {@code uid}, without its {@code <td>}. */
    private static String statusCell(String rows, String uid) {
        int row = rows.indexOf("<tr data-uid=\"" + uid + "\">");
        assertTrue(row >= 0, rows);
        String rest = rows.substring(row, rows.indexOf("</tr>", row));
        String[] cells = rest.split("<td>");
        return cells[3].substring(0, cells[3].lastIndexOf("</td>"));
    }

    /** What follows the link of {@code uid} in the overview's unreachable list, up to the end of its item. */
    private static String overviewEntry(String figures, String uid) {
        String link = "<a href=\"/appliances/" + uid + "\">" + uid + "</a> ";
        int entry = figures.indexOf(link);
        assertTrue(entry >= 0, figures);
        return figures.substring(entry + link.length(), figures.indexOf("</li>", entry));
    }

    private static ApplianceView unreachable(String uid, UnreachableReason reason, OffsetDateTime since) {
        return new ApplianceView()
                .uid(uid)
                .name(uid)
                .status(ApplianceStatus.UNREACHABLE)
                .tags(Map.of("name", uid, "region", "eu"))
                .lastSeenAt(LAST_REPORT)
                .identity(new EdgeIdentity().status(EdgeIdentityStatus.values()[0]))
                .unreachableReason(reason)
                .unreachableSince(since);
    }
}
