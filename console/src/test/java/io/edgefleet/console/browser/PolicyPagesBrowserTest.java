package io.edgefleet.console.browser;

import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
