package io.edgefleet.console.browser;

import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.BackupRequest;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RetentionRequest;
import io.edgefleet.sdk.model.RunPolicyRequest;
import io.edgefleet.sdk.model.RunStatus;
import io.edgefleet.sdk.model.RunView;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanRequest;
import io.edgefleet.sdk.model.StoreRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.console.browser.ClusterPagesBrowserTest.provisioningCluster;
import static io.edgefleet.console.browser.ClusterPagesBrowserTest.shortId;
import static io.edgefleet.console.browser.ClusterPagesBrowserTest.stack;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy pages in a real browser (headless Chromium) against the real policy-service (a process, with
 * cluster-service, profile-service and appliance-service: {@link ClusterStackTestResource}) and a real Keycloak.
 * policy-service knows the tenant's clusters from cluster-service's events, as in production.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterStackTestResource.class, restrictToAnnotatedClass = true)
class PolicyPagesBrowserTest {

    @TestHTTPResource("/")
    URL console;

    @Test
    void anAdminCreatesEditsAndDeletesAPolicyWithTheServicesErrorsAtTheirFields() throws ApiException {
        ClusterView cluster = provisioningCluster("policed-" + shortId());
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        awaitPolicyServiceKnows(api, cluster.getId());
        String name = "nightly-scan-" + shortId();
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/policies");
            browser.waitFor(By.id("new-policy")).click();
            browser.waitFor(By.id("policy-form"));
            // three values policy-service refuses: a bad name, a bad cron expression, a scan without scans
            browser.find(By.id("name")).sendKeys("bad name!");
            browser.find(By.id("cron")).sendKeys("every night");
            for (ScanKind kind : ScanKind.values()) {
                WebElement box = browser.find(By.id("scan-" + kind.getValue()));
                if (box.isSelected()) {
                    box.sendKeys(Keys.SPACE); // the keyboard only
                }
            }
            browser.find(By.id("cluster-" + cluster.getId())).sendKeys(Keys.SPACE);
            browser.find(By.id("cron")).sendKeys(Keys.ENTER); // Enter submits the form
            browser.waitFor(By.id("error-summary"));
            browser.screenshot("policy-errors");
            assertTrue(browser.find(By.id("name-error")).isDisplayed());
            assertEquals("true", browser.find(By.id("name")).getAttribute("aria-invalid"));
            assertEquals("name-error", browser.find(By.id("name")).getAttribute("aria-describedby"));
            assertTrue(browser.find(By.id("cron-error")).isDisplayed());
            assertTrue(browser.find(By.id("scanKinds-error")).getText().contains("CONFIGURATION_SECURITY"));
            assertEquals(
                    3,
                    browser.find(By.id("error-summary"))
                            .findElements(By.tagName("li"))
                            .size(),
                    browser.find(By.id("error-summary")).getText());
            // what was typed is kept; nothing was created
            assertEquals("bad name!", browser.find(By.id("name")).getAttribute("value"));
            assertEquals("every night", browser.find(By.id("cron")).getAttribute("value"));
            assertTrue(browser.find(By.id("cluster-" + cluster.getId())).isSelected());
            assertTrue(policies(api).stream().noneMatch(p -> p.getName().startsWith("bad")));

            // corrected: created, and its page shows kind, schedule and cluster
            browser.find(By.id("name")).clear();
            browser.find(By.id("name")).sendKeys(name);
            browser.find(By.id("cron")).clear();
            browser.find(By.id("cron")).sendKeys("0 2 * * *");
            browser.find(By.id("scan-CONFORMANCE")).sendKeys(Keys.SPACE);
            browser.find(By.id("save")).click();
            browser.waitFor(By.id("policy-kind"));
            assertTrue(browser.path().startsWith("/policies/"), browser.path());
            assertEquals("SCAN", browser.find(By.id("policy-kind")).getText());
            assertTrue(browser.find(By.id("policy-schedule")).getText().contains("0 2 * * *"));
            assertTrue(browser.present(By.cssSelector("#policy-clusters li[data-cluster='" + cluster.getId() + "']")));
            assertEquals("CONFORMANCE", browser.find(By.id("scan-kinds")).getText());
            browser.screenshot("policy-detail");
            PolicyView created = policies(api).stream()
                    .filter(p -> p.getName().equals(name))
                    .findFirst()
                    .orElseThrow();
            assertEquals(List.of(cluster.getId()), created.getClusterIds());

            // edit: the form holds the policy; a new schedule in another time zone
            browser.find(By.id("edit-policy")).click();
            assertEquals("0 2 * * *", browser.waitFor(By.id("cron")).getAttribute("value"));
            browser.find(By.id("cron")).clear();
            browser.find(By.id("cron")).sendKeys("30 3 * * 1");
            browser.find(By.id("timeZone")).clear();
            browser.find(By.id("timeZone")).sendKeys("Europe/Berlin");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the policy form overflows at 820 px");
            browser.screenshot("policy-edit-tablet");
            browser.resize(1280, 900);
            browser.find(By.id("save")).click();
            browser.waitUntil(
                    d -> d.findElement(By.id("policy-schedule")).getText().contains("30 3 * * 1"));
            PolicyView edited = api.policies().getPolicy(created.getId());
            assertEquals("30 3 * * 1", edited.getSchedule().getCron());
            assertEquals("Europe/Berlin", edited.getSchedule().getTimeZone());

            // delete only after confirming: cancel keeps it
            browser.find(By.id("delete-policy")).click();
            assertTrue(browser.waitFor(By.id("confirm-title")).getText().contains(name));
            browser.screenshot("policy-confirm-delete");
            browser.find(By.id("cancel")).click();
            browser.waitFor(By.id("policy-kind"));
            api.policies().getPolicy(created.getId());
            browser.find(By.id("delete-policy")).click();
            browser.waitFor(By.id("confirm")).click();
            browser.waitFor(By.id("policies"));
            assertEquals("/policies", browser.path());
            assertFalse(browser.present(By.cssSelector("tr[data-id='" + created.getId() + "']")));
            ApiException gone =
                    assertThrows(ApiException.class, () -> api.policies().getPolicy(created.getId()));
            assertEquals(404, gone.getCode());
        }
    }

    @Test
    void aViewerSeesPoliciesWithoutWriteControlsAndAnotherTenantsPolicyIsNotFound() throws ApiException {
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        PolicyView policy = api.policies()
                .createPolicy(new PolicyRequest()
                        .name("viewed-" + shortId())
                        .kind(PolicyKind.SCAN)
                        .scan(new ScanRequest().kinds(List.of(ScanKind.PENETRATION))));
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/policies");
            browser.waitFor(By.cssSelector("tr[data-id='" + policy.getId() + "']"));
            assertFalse(browser.present(By.id("new-policy")), "a viewer is offered a new policy");
            browser.screenshot("policies-viewer");
            browser.find(By.linkText(policy.getName())).click();
            assertEquals("SCAN", browser.waitFor(By.id("policy-kind")).getText());
            assertFalse(browser.present(By.id("edit-policy")));
            assertFalse(browser.present(By.id("delete-policy")));
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the policy page overflows at 820 px");
            browser.resize(1280, 900);
            for (String page : List.of(
                    "/policies/new",
                    "/policies/" + policy.getId() + "/edit",
                    "/policies/" + policy.getId() + "/delete")) {
                browser.open(page);
                assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"), page);
            }
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/policies/" + policy.getId());
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/policies/" + policy.getId() + "/edit");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/policies");
            browser.waitFor(By.id("policies"));
            assertFalse(browser.present(By.cssSelector("tr[data-id='" + policy.getId() + "']")));
        }
        // still there, unchanged
        assertEquals(policy.getName(), api.policies().getPolicy(policy.getId()).getName());
    }

    /**
     * Scan reports: a SCAN policy's run on the cluster's page, the policy's and the scans list with outcome and counts,
     * its report page and its CSV (policy-service's, streamed by the console with the viewer's token). No gateway
     * runs, so the cluster stays PROVISIONING and policy-service records the run SKIPPED with the reason: the report
     * has no findings (the findings table's rows: ScanFindingsTest).
     */
    @Test
    void aViewerReadsAScanReportAndDownloadsItAsCsvAndAnotherTenantGetsNotFound() throws ApiException {
        ClusterView cluster = provisioningCluster("scanned-" + shortId());
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        awaitPolicyServiceKnows(api, cluster.getId());
        PolicyView policy = api.policies()
                .createPolicy(new PolicyRequest()
                        .name("scan-" + shortId())
                        .kind(PolicyKind.SCAN)
                        .clusterIds(List.of(cluster.getId()))
                        .scan(new ScanRequest().kinds(List.of(ScanKind.PENETRATION, ScanKind.CONFORMANCE))));
        RunView run = api.policies()
                .runPolicy(policy.getId(), new RunPolicyRequest().clusterId(cluster.getId()))
                .get(0);
        assertEquals(RunStatus.SKIPPED, run.getStatus(), String.valueOf(run));
        String scanPage = "/scans/" + run.getId();
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/clusters/" + cluster.getId());
            WebElement row = browser.waitFor(By.cssSelector("#scans tr[data-scan='" + run.getId() + "']"));
            assertTrue(row.getText().contains("SKIPPED"), row.getText());
            assertTrue(row.getText().contains(policy.getName()), row.getText());
            assertFalse(browser.present(By.id("back-up-now")), "a viewer is offered a backup");
            browser.screenshot("cluster-scans-viewer");
            browser.find(By.id("report-" + run.getId())).click();
            assertEquals("SKIPPED", browser.waitFor(By.id("scan-status")).getText());
            assertEquals(scanPage, browser.path());
            assertTrue(browser.find(By.id("scan-reason")).getText().contains("not RUNNING"));
            assertTrue(browser.find(By.id("scan-policy")).getText().contains(policy.getName()));
            assertTrue(browser.find(By.id("no-findings")).getText().contains("did not run"));
            assertTrue(browser.present(By.id("download-csv")));
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the scan report overflows at 820 px");
            browser.screenshot("scan-report-tablet");
            browser.resize(1280, 900);

            // the CSV through the console: policy-service's header line, as an attachment named after the scan
            List<?> csv = get(browser, scanPage + "/report.csv");
            assertEquals(200L, csv.get(0), String.valueOf(csv));
            assertTrue(String.valueOf(csv.get(1)).startsWith("text/csv"), String.valueOf(csv));
            assertEquals("attachment; filename=\"scan-" + run.getId() + ".csv\"", csv.get(2));
            String body = String.valueOf(csv.get(3));
            assertEquals(
                    "node_id,appliance_uid,scan,check_id,title,status,evidence",
                    body.lines().findFirst().orElse("").replace("\"", ""),
                    body);
            assertEquals(1, body.lines().count(), body); // a skipped scan has no findings

            // under policies: the policy's runs and the scan reports list link to it
            browser.open("/policies/" + policy.getId());
            assertTrue(browser.waitFor(By.id("run-" + run.getId()))
                    .getAttribute("href")
                    .endsWith(scanPage));
            browser.open("/policies");
            browser.waitFor(By.id("scan-reports")).click();
            assertTrue(browser.waitFor(By.cssSelector("#scans tr[data-scan='" + run.getId() + "']"))
                    .getText()
                    .contains("SKIPPED"));
            browser.screenshot("scan-reports");
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open(scanPage);
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            assertEquals(404L, get(browser, scanPage + "/report.csv").get(0));
            browser.open("/scans");
            browser.waitFor(By.id("scans"));
            assertFalse(browser.present(By.cssSelector("tr[data-scan='" + run.getId() + "']")));
        }
    }

    /**
     * Backups: "back up now" and "restore" only for admins and only after a confirm page. No gateway runs, so the
     * cluster stays PROVISIONING: policy-service records the backup SKIPPED (not RUNNING) and refuses to restore it
     * (409), which the restore page shows; a restore's live progress needs a gateway (BackupOffersTest decides when
     * the page follows it).
     */
    @Test
    void anAdminBacksUpAfterConfirmingAViewerCannotAndAnotherTenantGetsNotFound() throws ApiException {
        ClusterView cluster = provisioningCluster("backed-" + shortId());
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        awaitPolicyServiceKnows(api, cluster.getId());
        PolicyView policy = api.policies()
                .createPolicy(new PolicyRequest()
                        .name("backup-" + shortId())
                        .kind(PolicyKind.BACKUP)
                        .clusterIds(List.of(cluster.getId()))
                        .backup(new BackupRequest()
                                .store(new StoreRequest()
                                        .endpoint("http://127.0.0.1:9")
                                        .bucket("backups")
                                        .accessKeyId("console-test")
                                        .secretAccessKey("console-test-secret"))
                                .paths(List.of("/var/lib/app"))
                                .retention(new RetentionRequest().count(3))));
        String backupId;
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/clusters/" + cluster.getId());
            browser.waitFor(By.id("back-up-now")).click();
            assertTrue(browser.waitFor(By.id("confirm-title")).getText().contains(cluster.getName()));
            assertEquals(
                    policy.getId().toString(), browser.find(By.id("policyId")).getAttribute("value"));
            browser.screenshot("backup-confirm");
            browser.find(By.id("cancel")).click(); // cancel backs nothing up
            browser.waitFor(By.id("cluster-status"));
            assertTrue(backups(api, cluster.getId()).isEmpty());
            browser.find(By.id("back-up-now")).click();
            browser.waitFor(By.id("policyId"));
            browser.find(By.id("confirm")).sendKeys(Keys.ENTER); // the keyboard: Enter on the button confirms
            assertEquals("SKIPPED", browser.waitFor(By.id("backup-status")).getText());
            assertTrue(browser.find(By.id("backup-reason")).getText().contains("not RUNNING"));
            assertFalse(browser.present(By.id("restore-backup")), "a skipped backup is offered a restore");
            browser.screenshot("backup-detail");
            List<RunView> backups = backups(api, cluster.getId());
            assertEquals(1, backups.size());
            backupId = backups.get(0).getId().toString();
            assertEquals("/backups/" + backupId, browser.path());
            assertEquals(policy.getId(), backups.get(0).getPolicyId());

            // its cluster lists it with its state
            browser.open("/clusters/" + cluster.getId());
            assertTrue(browser.waitFor(By.cssSelector("#backups tr[data-backup='" + backupId + "']"))
                    .getText()
                    .contains("SKIPPED"));
            assertFalse(browser.present(By.id("restore-" + backupId)));

            // a restore asked for by its URL: the page says why not, and policy-service's refusal is shown
            browser.open("/backups/" + backupId + "/restore");
            assertTrue(browser.waitFor(By.id("action-error")).getText().contains("SKIPPED"));
            assertEquals(cluster.getId(), browser.find(By.id("clusterId")).getAttribute("value"));
            browser.find(By.id("confirm")).click();
            browser.waitUntil(
                    d -> !d.findElement(By.id("action-error")).getText().contains("Only a backup"));
            assertTrue(
                    browser.find(By.id("action-error")).getText().contains("only a SUCCEEDED backup can be restored"),
                    browser.find(By.id("action-error")).getText());
            browser.screenshot("restore-refused");
            assertTrue(restores(api, cluster.getId()).isEmpty());
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/clusters/" + cluster.getId());
            browser.waitFor(By.cssSelector("#backups tr[data-backup='" + backupId + "']"));
            assertFalse(browser.present(By.id("back-up-now")), "a viewer is offered a backup");
            browser.open("/backups/" + backupId);
            assertEquals("SKIPPED", browser.waitFor(By.id("backup-status")).getText());
            for (String page :
                    List.of("/backups/new?cluster=" + cluster.getId(), "/backups/" + backupId + "/restore")) {
                browser.open(page);
                assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"), page);
            }
            // forged posts with the viewer's session: refused, nothing started
            assertEquals(
                    403L,
                    post(browser, "/backups", "cluster=" + cluster.getId() + "&policyId=" + policy.getId())
                            .get(0));
            assertEquals(
                    403L,
                    post(browser, "/backups/" + backupId + "/restore", "clusterId=" + cluster.getId())
                            .get(0));
            assertEquals(1, backups(api, cluster.getId()).size());
            assertTrue(restores(api, cluster.getId()).isEmpty());
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            for (String page : List.of(
                    "/backups/" + backupId,
                    "/backups/" + backupId + "/restore",
                    "/backups/new?cluster=" + cluster.getId())) {
                browser.open(page);
                assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"), page);
            }
            assertEquals(
                    404L,
                    post(browser, "/backups/" + backupId + "/restore", "clusterId=" + cluster.getId())
                            .get(0));
        }
        assertTrue(restores(api, cluster.getId()).isEmpty());
    }

    private static List<RunView> backups(EdgeFleet api, String clusterId) throws ApiException {
        var page = api.backups().listBackups(clusterId, 0, 50, null);
        return page.getItems() == null ? List.of() : page.getItems();
    }

    private static List<RunView> restores(EdgeFleet api, String clusterId) throws ApiException {
        var page = api.restores().listRestores(clusterId, 0, 50, null);
        return page.getItems() == null ? List.of() : page.getItems();
    }

    /** A GET from the page with the browser's session: status, Content-Type, Content-Disposition, body. */
    private static List<?> get(Browser browser, String path) {
        return (List<?>) ((JavascriptExecutor) browser.driver)
                .executeScript(
                        "var x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send();"
                                + "return [x.status, x.getResponseHeader('Content-Type'),"
                                + " x.getResponseHeader('Content-Disposition'), x.responseText];",
                        path);
    }

    /** A form post from the page with the browser's session (as a forged form would send it): status, body. */
    private static List<?> post(Browser browser, String path, String form) {
        return (List<?>) ((JavascriptExecutor) browser.driver)
                .executeScript(
                        "var x = new XMLHttpRequest(); x.open('POST', arguments[0], false);"
                                + "x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');"
                                + "x.send(arguments[1]); return [x.status, x.responseText];",
                        path,
                        form);
    }

    private static List<PolicyView> policies(EdgeFleet api) throws ApiException {
        var page = api.policies().listPolicies(null, 0, 200);
        return page.getItems() == null ? List.of() : page.getItems();
    }

    /** policy-service learns of a cluster from cluster-service's events, a moment after it exists. */
    private static void awaitPolicyServiceKnows(EdgeFleet api, String clusterId) {
        PolicyView probe = await("policy-service knows " + clusterId)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsMatching(e -> e instanceof ApiException a && a.getCode() == 400)
                .until(
                        () -> api.policies()
                                .createPolicy(new PolicyRequest()
                                        .name("probe-"
                                                + UUID.randomUUID().toString().substring(0, 8))
                                        .kind(PolicyKind.SCAN)
                                        .clusterIds(List.of(clusterId))
                                        .scan(new ScanRequest().kinds(List.of(ScanKind.CONFORMANCE)))),
                        p -> true);
        try {
            api.policies().deletePolicy(probe.getId());
        } catch (ApiException e) {
            throw new AssertionError(e);
        }
    }
}
