package io.edgefleet.console.browser;

import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.CloudType;
import io.edgefleet.sdk.model.LayerRequest;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ProfileRequest;
import io.edgefleet.sdk.model.ProfileRollout;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.RolloutMode;
import io.edgefleet.sdk.model.ScanGate;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profile pages in a real browser (headless Chromium) against the real profile-service (a process, with the
 * other services of {@link ClusterStackTestResource}) and a real Keycloak. Screenshots under
 * {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterStackTestResource.class, restrictToAnnotatedClass = true)
class ProfilePagesBrowserTest {

    @TestHTTPResource("/")
    URL console;

    @Test
    void anAdminCreatesAProfileSeesItsErrorsAtTheirFieldsThenANewVersionAndWhatChanged() throws ApiException {
        String name = "edge-" + shortId();
        EdgeFleet api = api(RealmUsers.ADMIN_A);
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/profiles");
            browser.waitFor(By.id("new-profile")).click();
            browser.waitFor(By.id("name")).sendKeys(name);
            WebElement version = browser.find(By.id("version"));
            version.clear();
            version.sendKeys("1.x");
            browser.find(By.id("layer-0-name")).sendKeys("ubuntu");
            browser.find(By.id("layer-0-version")).sendKeys("22.04.x");
            // row 2 left blank: the service's layers[1] is row 3
            browser.find(By.id("layer-2-name")).sendKeys("kubernetes");
            browser.find(By.id("layer-2-version")).sendKeys("not a version");
            browser.find(By.id("layer-3-name")).sendKeys("calico");
            browser.find(By.id("layer-3-version")).sendKeys("3.27.x");
            browser.find(By.id("layer-4-name")).sendKeys("local-path-provisioner");
            browser.find(By.id("layer-4-version")).sendKeys("0.0.x" + Keys.ENTER); // Enter creates

            // both of the service's errors at their fields, at once; nothing created
            browser.waitFor(By.id("error-summary"));
            assertTrue(browser.find(By.id("version-error")).isDisplayed());
            assertEquals("true", browser.find(By.id("version")).getAttribute("aria-invalid"));
            assertTrue(browser.find(By.id("layer-2-version-error")).isDisplayed(), "layers[1] is row 3");
            assertEquals("version-error", browser.find(By.id("version")).getAttribute("aria-describedby"));
            assertFalse(browser.present(By.id("layer-1-version-error")));
            assertEquals("kubernetes", browser.find(By.id("layer-2-name")).getAttribute("value"), "typed kept");
            assertTrue(api.profiles().listProfiles(name, 0, 10, null).getItems().isEmpty(), "created");
            browser.screenshot("profile-errors");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the profile form overflows at 820 px");
            browser.screenshot("profile-form-tablet");
            browser.resize(1280, 900);

            version = browser.find(By.id("version"));
            version.clear();
            version.sendKeys("1.0.0");
            WebElement k8s = browser.find(By.id("layer-2-version"));
            k8s.clear();
            k8s.sendKeys("1.29.x");
            browser.find(By.id("create")).click();

            browser.waitFor(By.id("profile-title"));
            ProfileView created =
                    api.profiles().listProfiles(name, 0, 10, null).getItems().get(0);
            assertEquals("/profiles/" + created.getId(), browser.path());
            assertEquals("1.0.0", browser.find(By.id("profile-version")).getText());
            assertEquals(
                    List.of("ubuntu", "kubernetes", "calico", "local-path-provisioner"),
                    browser.driver.findElements(By.cssSelector("#layers tbody tr")).stream()
                            .map(r -> r.getAttribute("data-layer"))
                            .toList());
            // the resolved stack: the train's newest release
            String resolved = browser.find(By.cssSelector("#resolved tr[data-layer='kubernetes'] .resolved-version"))
                    .getText();
            assertTrue(resolved.startsWith("1.29."), resolved);
            assertTrue(browser.find(By.id("profile-rollout")).getText().startsWith("IMMEDIATE"));
            browser.screenshot("profile-detail");

            // a new version: kubernetes on another train
            browser.find(By.id("new-version")).click();
            assertEquals("1.0.1", browser.waitFor(By.id("version")).getAttribute("value"));
            assertEquals("kubernetes", browser.find(By.id("layer-1-name")).getAttribute("value"));
            WebElement train = browser.find(By.id("layer-1-version"));
            train.clear();
            train.sendKeys("1.28.x");
            browser.find(By.id("create")).click();
            browser.waitFor(By.id("profile-title"));
            assertEquals("1.0.1", browser.find(By.id("profile-version")).getText());
            assertEquals(2, api.profiles().listProfileVersions(created.getId()).size());

            // what changed from 1.0.0
            browser.find(By.id("compare")).click();
            assertEquals("1.0.0", browser.waitFor(By.id("diff-from")).getText());
            assertEquals("1.0.1", browser.find(By.id("diff-to")).getText());
            assertEquals(
                    "CHANGED",
                    browser.find(By.cssSelector("#layer-changes tr[data-layer='kubernetes']"))
                            .getAttribute("data-change"));
            assertTrue(browser.find(By.cssSelector("#layer-changes tr[data-layer='kubernetes'] [data-what='version']"))
                    .getText()
                    .contains("1.29.x → 1.28.x"));
            assertEquals(
                    "UNCHANGED",
                    browser.find(By.cssSelector("#layer-changes tr[data-layer='ubuntu']"))
                            .getAttribute("data-change"));
            browser.screenshot("profile-diff");
        }
    }

    @Test
    void anAdminSetsTheDefaultRolloutStrategyAndSeesTheServicesErrorsAtItsFields() throws ApiException {
        String name = "rolled-" + shortId();
        EdgeFleet api = api(RealmUsers.ADMIN_A);
        // the SCAN policy of the strategy's scan gate (policy-service; no cluster needed)
        PolicyView gate = api.policies()
                .createPolicy(new PolicyRequest()
                        .name("gate-" + shortId())
                        .kind(PolicyKind.SCAN)
                        .scan(new ScanRequest().kinds(List.of(ScanKind.CONFORMANCE))));
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/profiles/new");
            browser.waitFor(By.id("name")).sendKeys(name);
            String[][] layers = {
                {"ubuntu", "22.04.x"},
                {"kubernetes", "1.29.x"},
                {"calico", "3.27.x"},
                {"local-path-provisioner", "0.0.x"}
            };
            for (int i = 0; i < layers.length; i++) {
                browser.find(By.id("layer-" + i + "-name")).sendKeys(layers[i][0]);
                browser.find(By.id("layer-" + i + "-version")).sendKeys(layers[i][1]);
            }
            assertEquals(
                    "IMMEDIATE",
                    new Select(browser.find(By.id("rollout-mode")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
            new Select(browser.find(By.id("rollout-mode"))).selectByValue("ROLLOUT");
            browser.find(By.id("rollout-canaries")).sendKeys("101");
            browser.find(By.id("rollout-wavePercent")).sendKeys("25");
            browser.find(By.id("rollout-maxConcurrency")).sendKeys("3");
            browser.find(By.id("rollout-bakeTime")).sendKeys("ten minutes");
            new Select(browser.find(By.id("rollout-offlineMode"))).selectByValue("SKIP");
            new Select(browser.find(By.id("rollout-scan-policyId")))
                    .selectByValue(gate.getId().toString());
            new Select(browser.find(By.id("rollout-scan-failOn"))).selectByValue("WARNED");
            browser.find(By.id("rollout-scan-timeout")).sendKeys("PT0S");
            browser.find(By.id("create")).click();

            // profile-service's three strategy errors, each at its field, at once; nothing created; the choices kept
            browser.waitFor(By.id("error-summary"));
            assertTrue(browser.find(By.id("rollout-canaries-error")).isDisplayed());
            assertTrue(browser.find(By.id("rollout-bakeTime-error")).isDisplayed());
            assertTrue(browser.find(By.id("rollout-scan-timeout-error")).isDisplayed());
            assertEquals("true", browser.find(By.id("rollout-scan-timeout")).getAttribute("aria-invalid"));
            assertTrue(browser.present(By.cssSelector("#error-summary a[href='#rollout-scan-timeout']")));
            assertEquals("true", browser.find(By.id("rollout-canaries")).getAttribute("aria-invalid"));
            assertTrue(browser.find(By.id("rollout-bakeTime"))
                    .getAttribute("aria-describedby")
                    .contains("rollout-bakeTime-error"));
            assertTrue(browser.present(By.cssSelector("#error-summary a[href='#rollout-canaries']")));
            assertEquals(
                    3,
                    browser.driver
                            .findElements(By.cssSelector("#error-summary li"))
                            .size());
            assertEquals("ten minutes", browser.find(By.id("rollout-bakeTime")).getAttribute("value"));
            assertEquals(
                    gate.getId().toString(),
                    new Select(browser.find(By.id("rollout-scan-policyId")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
            assertEquals(
                    "WARNED",
                    new Select(browser.find(By.id("rollout-scan-failOn")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
            assertEquals(
                    "ROLLOUT",
                    new Select(browser.find(By.id("rollout-mode")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
            assertTrue(api.profiles().listProfiles(name, 0, 10, null).getItems().isEmpty(), "created");
            browser.screenshot("profile-rollout-errors");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the profile form overflows at 820 px");
            browser.resize(1280, 900);

            browser.find(By.id("rollout-canaries")).clear();
            browser.find(By.id("rollout-canaries")).sendKeys("2");
            browser.find(By.id("rollout-bakeTime")).clear();
            browser.find(By.id("rollout-bakeTime")).sendKeys("PT10M");
            browser.find(By.id("rollout-scan-timeout")).clear();
            browser.find(By.id("rollout-scan-timeout")).sendKeys("PT10M");
            browser.find(By.id("create")).click();
            browser.waitFor(By.id("profile-title"));
            ProfileRollout rollout = api.profiles()
                    .listProfiles(name, 0, 10, null)
                    .getItems()
                    .get(0)
                    .getRollout();
            assertEquals(RolloutMode.ROLLOUT, rollout.getMode());
            assertEquals(2, rollout.getCanaries());
            assertEquals(25, rollout.getWavePercent());
            assertEquals(3, rollout.getMaxConcurrency());
            assertEquals("PT10M", rollout.getBakeTime());
            assertEquals("SKIP", rollout.getOfflineMode());
            assertEquals(
                    new ScanGate()
                            .policyId(gate.getId().toString())
                            .failOn("WARNED")
                            .timeout("PT10M"),
                    rollout.getScan());
            String shown = browser.find(By.id("profile-rollout")).getText();
            assertTrue(shown.startsWith("ROLLOUT: 2 canaries, waves of 25%, at most 3 at once"), shown);
            assertTrue(
                    shown.endsWith("scan gate: policy " + gate.getId() + " (fails on WARNED, timeout PT10M)"), shown);
            assertEquals(
                    "/policies/" + gate.getId(),
                    browser.find(By.id("profile-rollout-scan"))
                            .getAttribute("href")
                            .replaceFirst("^https?://[^/]+", ""));
            browser.screenshot("profile-rollout");

            // a new version starts from this strategy
            browser.find(By.id("new-version")).click();
            assertEquals("2", browser.waitFor(By.id("rollout-canaries")).getAttribute("value"));
            assertEquals(
                    gate.getId().toString(),
                    new Select(browser.find(By.id("rollout-scan-policyId")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
            assertEquals("PT10M", browser.find(By.id("rollout-scan-timeout")).getAttribute("value"));
            assertEquals(
                    "ROLLOUT",
                    new Select(browser.find(By.id("rollout-mode")))
                            .getFirstSelectedOption()
                            .getAttribute("value"));
        }
    }

    @Test
    void theCatalogListsPacksByLayer() {
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/profiles");
            browser.waitFor(By.id("catalog-link")).click();
            browser.waitFor(By.cssSelector("table[data-layer='KUBERNETES'] tr[data-pack='kubernetes']"));
            assertTrue(browser.present(By.cssSelector("table[data-layer='OS'] tr[data-pack='ubuntu']")));
            assertTrue(browser.present(By.cssSelector("table[data-layer='NETWORK'] tr[data-pack='calico']")));
            assertFalse(browser.present(By.cssSelector("table[data-layer='OS'] tr[data-pack='kubernetes']")));
            browser.screenshot("profile-catalog");
        }
    }

    @Test
    void aViewerSeesProfilesAndNoWriteControls() throws ApiException {
        ProfileView profile = profile(api(RealmUsers.ADMIN_A), "viewed-" + shortId());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/profiles");
            browser.waitFor(By.cssSelector("tr[data-id='" + profile.getId() + "']"));
            assertFalse(browser.present(By.id("new-profile")));
            browser.screenshot("profiles-viewer");
            browser.open("/profiles/" + profile.getId());
            browser.waitFor(By.id("profile-title"));
            assertFalse(browser.present(By.id("new-version")));
            assertFalse(browser.present(By.cssSelector("main form")), "write controls");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the profile page overflows at 820 px");

            browser.open("/profiles/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            browser.open("/profiles/" + profile.getId() + "/versions/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
        }
    }

    @Test
    void anotherTenantsProfileIsANotFoundPage() throws ApiException {
        ProfileView profile = profile(api(RealmUsers.ADMIN_A), "tenant-a-" + shortId());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/profiles/" + profile.getId());
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/profiles/" + profile.getId() + "/diff");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/profiles/" + profile.getId() + "/versions/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            browser.open("/profiles");
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.cssSelector("tr[data-id='" + profile.getId() + "']")), "listed");
        }
    }

    static ProfileView profile(EdgeFleet api, String name) throws ApiException {
        return api.profiles()
                .createProfile(new ProfileRequest()
                        .name(name)
                        .type(ProfileType.FULL)
                        .environment(ProfileRequest.EnvironmentEnum.EDGE)
                        .cloudType(CloudType.CONTAINERIZED)
                        .layers(List.of(
                                new LayerRequest().name("ubuntu").version("22.04.x"),
                                new LayerRequest().name("kubernetes").version("1.29.x"),
                                new LayerRequest().name("calico").version("3.27.x"),
                                new LayerRequest()
                                        .name("local-path-provisioner")
                                        .version("0.0.x"))));
    }

    private static EdgeFleet api(RealmUsers user) {
        return ClusterStackTestResource.current().api(user);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
