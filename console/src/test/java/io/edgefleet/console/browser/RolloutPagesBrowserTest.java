package io.edgefleet.console.browser;

import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.CreateRolloutRequest;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.Rollout;
import io.edgefleet.sdk.model.RolloutStatus;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanRequest;
import io.edgefleet.sdk.model.SelectorRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout pages in a real browser against the real cluster-service (and the rest of
 * {@link ClusterStackTestResource}). No gateway runs, so a rollout's cluster never finishes rolling: the tests cover
 * the form and its errors, the detail, abort after a confirm, viewers and other tenants.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterStackTestResource.class, restrictToAnnotatedClass = true)
class RolloutPagesBrowserTest {

    @TestHTTPResource("/")
    URL console;

    @AfterAll
    static void closePublisher() {
        ClusterPagesBrowserTest.closePublisher();
    }

    @Test
    void anAdminCreatesARolloutSeesItsErrorsAtTheirFieldsThenAbortsItAfterConfirming() throws ApiException {
        ClusterView cluster = ClusterPagesBrowserTest.provisioningCluster("roll-" + ClusterPagesBrowserTest.shortId());
        EdgeFleet api = ClusterPagesBrowserTest.stack().api(RealmUsers.ADMIN_A);
        String name = "rollout-" + ClusterPagesBrowserTest.shortId();
        PolicyView gate = api.policies()
                .createPolicy(new PolicyRequest()
                        .name("gate-" + ClusterPagesBrowserTest.shortId())
                        .kind(PolicyKind.SCAN)
                        .scan(new ScanRequest().kinds(List.of(ScanKind.PENETRATION))));
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/rollouts");
            browser.waitFor(By.id("new-rollout")).click();
            browser.waitFor(By.id("name")).sendKeys(name);
            new Select(browser.find(By.id("profileId")))
                    .selectByValue(cluster.getProfile().getId());
            browser.find(By.cssSelector("input[name='targetClusters'][value='" + cluster.getId() + "']"))
                    .click();
            browser.find(By.id("canaries")).sendKeys("101"); // at most 100
            browser.find(By.id("bakeTime")).sendKeys("ten minutes");
            browser.find(By.id("scanTimeout")).sendKeys("soon"); // a scan gate without its policy, a bad timeout
            browser.find(By.id("create")).click();

            browser.waitFor(By.id("error-summary"));
            assertTrue(browser.find(By.id("canaries-error")).isDisplayed());
            assertEquals("true", browser.find(By.id("canaries")).getAttribute("aria-invalid"));
            assertTrue(browser.find(By.id("bakeTime-error")).isDisplayed());
            assertTrue(browser.find(By.id("scanPolicyId-error")).getText().contains("is required"));
            assertEquals("true", browser.find(By.id("scanTimeout")).getAttribute("aria-invalid"));
            assertTrue(
                    browser.find(By.cssSelector("input[name='targetClusters'][value='" + cluster.getId() + "']"))
                            .isSelected(),
                    "the choice is kept");
            assertTrue(
                    api.rollouts().listRollouts(0, 200, null).getItems().stream()
                            .noneMatch(r -> r.getName().equals(name)),
                    "created");
            browser.screenshot("rollout-errors");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the rollout form overflows at 820 px");
            browser.resize(1280, 900);

            browser.find(By.id("canaries")).clear();
            browser.find(By.id("canaries")).sendKeys("1");
            browser.find(By.id("bakeTime")).clear();
            browser.find(By.id("bakeTime")).sendKeys("PT5M");
            new Select(browser.find(By.id("scanPolicyId")))
                    .selectByValue(gate.getId().toString()); // offered: the tenant's SCAN policy
            browser.find(By.id("scanTimeout")).clear();
            browser.find(By.id("scanTimeout")).sendKeys("PT10M");
            browser.find(By.id("create")).click();
            browser.waitFor(By.id("rollout-title"));
            assertEquals(name, browser.find(By.id("rollout-title")).getText());
            assertTrue(browser.find(By.id("rollout-strategy")).getText().contains("bake time PT5M"));
            assertEquals(
                    gate.getName(), browser.find(By.id("rollout-scan-policy")).getText());
            assertTrue(browser.find(By.id("rollout-scan-policy"))
                    .getAttribute("href")
                    .endsWith("/policies/" + gate.getId()));
            assertTrue(
                    browser.find(By.id("rollout-strategy")).getText().contains("fails on FAILED, timeout PT10M"),
                    browser.find(By.id("rollout-strategy")).getText());
            assertTrue(browser.present(By.cssSelector("#rollout-clusters tr[data-cluster='" + cluster.getId() + "']")));
            browser.screenshot("rollout-detail");

            // abort, only after confirming (it is RUNNING, or PAUSED once its canary failed: both can be aborted)
            browser.waitFor(By.id("action-abort")).click();
            assertTrue(browser.waitFor(By.id("confirm-title")).getText().startsWith("Abort rollout"));
            browser.find(By.id("cancel")).click();
            browser.waitFor(By.id("rollout-status"));
            String id = browser.path().substring("/rollouts/".length());
            assertFalse(api.rollouts().getRollout(id).getStatus() == RolloutStatus.ABORTED, "aborted by cancel");
            browser.find(By.id("action-abort")).click();
            browser.waitFor(By.id("confirm")).click();
            browser.waitUntil(
                    d -> "ABORTED".equals(d.findElement(By.id("rollout-status")).getText()));
            assertEquals(RolloutStatus.ABORTED, api.rollouts().getRollout(id).getStatus());
            assertFalse(browser.present(By.id("action-abort")));

            // resume is not offered; asked for by its URL, the page says so and the service's refusal is shown
            browser.open("/rollouts/" + id + "/resume");
            assertTrue(browser.waitFor(By.id("action-error")).getText().contains("not possible"));
            browser.find(By.id("confirm")).click();
            String refusal = browser.waitFor(By.id("action-error")).getText();
            assertTrue(refusal.contains("ABORTED"), refusal);
        }
    }

    @Test
    void aViewerSeesRolloutsWithoutControlsAndAnotherTenantGetsNotFound() throws ApiException {
        ClusterView cluster = ClusterPagesBrowserTest.provisioningCluster("seen-" + ClusterPagesBrowserTest.shortId());
        Rollout rollout = ClusterPagesBrowserTest.stack()
                .api(RealmUsers.ADMIN_A)
                .rollouts()
                .createRollout(new CreateRolloutRequest()
                        .name("viewed-" + ClusterPagesBrowserTest.shortId())
                        .profileId(cluster.getProfile().getId())
                        .selector(new SelectorRequest().clusterIds(List.of(cluster.getId()))));
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/rollouts");
            browser.waitFor(By.cssSelector("tr[data-id='" + rollout.getId() + "']"));
            assertFalse(browser.present(By.id("new-rollout")));
            browser.open("/rollouts/" + rollout.getId());
            browser.waitFor(By.id("rollout-status"));
            assertFalse(browser.present(By.cssSelector("main form, main button, .rollout-actions, [id^='rollback-']")));
            browser.screenshot("rollout-viewer");
            browser.open("/rollouts/" + rollout.getId() + "/abort");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            browser.open("/rollouts/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/rollouts/" + rollout.getId());
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/rollouts/" + rollout.getId() + "/abort");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/rollouts");
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.cssSelector("tr[data-id='" + rollout.getId() + "']")), "listed");
        }
    }
}
