package io.edgefleet.console.browser;

import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceView;
import io.edgefleet.sdk.model.RegisterAppliance;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (headless Chromium), logged in through a real Keycloak, showing what the real
 * appliance-service holds. Every page the tests visit is saved under {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsoleStackTestResource.class, restrictToAnnotatedClass = true)
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URL console;

    @Test
    void anAdminRegistersAnApplianceWithTheKeyboardAndFindsItInTheList() throws ApiException {
        String uid = "shop-" + shortId();
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            assertEquals("tenant-admin", browser.find(By.id("user-role")).getText());
            browser.screenshot("overview");

            browser.open("/appliances");
            browser.waitFor(By.id("register-link")).click();
            browser.waitFor(By.id("register-form"));
            browser.screenshot("register");
            // every field has its label
            for (String field : List.of("uid", "name", "tags")) {
                assertTrue(browser.present(By.cssSelector("label[for='" + field + "']")), "label for " + field);
            }
            // keyboard only: type, Tab to the next field, Enter in the last input submits
            WebElement uidField = browser.find(By.id("uid"));
            uidField.click();
            // (Enter in the tags box starts a new line; Tab then reaches the Register button)
            uidField.sendKeys(
                    uid,
                    Keys.TAB,
                    "Shop 17 Berlin",
                    Keys.TAB,
                    "region=eu",
                    Keys.ENTER,
                    "tier=gold",
                    Keys.TAB,
                    Keys.ENTER);

            browser.waitFor(By.id("appliance-uid"));
            assertEquals("/appliances/" + uid, browser.path());
            assertEquals(
                    "Shop 17 Berlin", browser.find(By.id("appliance-title")).getText());
            assertEquals("UNPAIRED", browser.find(By.id("appliance-status")).getText());
            String tags = browser.find(By.id("appliance-tags")).getText();
            assertTrue(tags.contains("region=eu") && tags.contains("tier=gold"), tags);
            browser.screenshot("appliance-detail");

            // the service has it, as typed
            ApplianceView stored = RealmUsers.ADMIN_A
                    .api(stack().keycloak(), stack().applianceService().url())
                    .appliances()
                    .getAppliance(uid);
            assertEquals(Map.of("name", "Shop 17 Berlin", "region", "eu", "tier", "gold"), stored.getTags());

            browser.open("/appliances");
            browser.waitFor(By.cssSelector("tr[data-uid='" + uid + "']"));
            browser.screenshot("appliances");

            // the search narrows the rows live (htmx) as the operator types
            registerDirectly(RealmUsers.ADMIN_A, "other-" + shortId(), "Warehouse");
            browser.open("/appliances");
            browser.waitFor(By.id("q")).sendKeys("Berlin");
            browser.waitUntil(
                    d -> d.findElements(By.cssSelector("#appliances tbody tr")).size() == 1);
            assertTrue(browser.present(By.cssSelector("tr[data-uid='" + uid + "']")));
            assertTrue(browser.path().contains("q=Berlin"), "the search is in the address: " + browser.path());

            // the status filter (appliance-service filters)
            browser.open("/appliances?status=READY");
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.cssSelector("tr[data-uid='" + uid + "']")), "not READY");

            // tablet width: nothing makes the page scroll sideways
            browser.open("/appliances");
            browser.waitFor(By.id("appliances"));
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the appliances page overflows at 820 px");
            browser.screenshot("appliances-tablet");
        }
    }

    @Test
    void theServicesFieldErrorsAreShownAtTheirFieldsAndNothingIsRegistered() throws ApiException {
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/appliances/new");
            browser.waitFor(By.id("uid")).sendKeys("not a uid!");
            browser.find(By.id("name")).sendKeys("n".repeat(300));
            browser.find(By.id("register")).click();

            // both errors at once, each at its field (appliance-service's problem+json names uid and tags.name)
            WebElement uidError = browser.waitFor(By.id("uid-error"));
            assertTrue(uidError.getText().contains("letters, digits"), uidError.getText());
            assertEquals("uid-error", browser.find(By.id("uid")).getAttribute("aria-describedby"));
            assertEquals("true", browser.find(By.id("uid")).getAttribute("aria-invalid"));
            WebElement nameError = browser.find(By.id("name-error"));
            assertTrue(nameError.getText().contains("255"), nameError.getText());
            // what was typed is kept
            assertEquals("not a uid!", browser.find(By.id("uid")).getAttribute("value"));
            browser.screenshot("register-field-errors");

            // the service registered nothing
            ApiException missing = assertThrows(
                    ApiException.class,
                    () -> RealmUsers.ADMIN_A
                            .api(stack().keycloak(), stack().applianceService().url())
                            .appliances()
                            .getAppliance("not-a-uid"));
            assertTrue(missing.getCode() == 404 || missing.getCode() == 400, "status " + missing.getCode());

            // a uid that is taken: the conflict is shown at the uid
            String uid = "taken-" + shortId();
            registerDirectly(RealmUsers.ADMIN_A, uid, null);
            browser.open("/appliances/new");
            browser.waitFor(By.id("uid")).sendKeys(uid);
            browser.find(By.id("register")).click();
            assertTrue(browser.waitFor(By.id("uid-error")).getText().length() > 0);
        }
    }

    @Test
    void aViewerSeesTheAppliancesAndNoWriteControls() throws ApiException {
        String uid = "viewed-" + shortId();
        registerDirectly(RealmUsers.ADMIN_A, uid, "Seen by viewers");
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            assertEquals("viewer", browser.find(By.id("user-role")).getText());

            browser.open("/appliances");
            browser.waitFor(By.cssSelector("tr[data-uid='" + uid + "']"));
            assertFalse(browser.present(By.id("register-link")), "a viewer is offered to register");
            assertFalse(browser.present(By.cssSelector("main form[method='post']")), "a viewer is given a write form");
            browser.screenshot("appliances-viewer");

            browser.open("/appliances/" + uid);
            browser.waitFor(By.id("appliance-uid"));
            assertFalse(browser.present(By.cssSelector("main form[method='post'], main button")), "write controls");

            // the write page itself is refused
            browser.open("/appliances/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            assertFalse(browser.present(By.id("register-form")));
            browser.screenshot("viewer-forbidden");

            // signing out ends the session at Keycloak too: the console asks for a login again
            browser.open("/");
            browser.waitFor(By.linkText("Sign out")).click();
            browser.waitFor(By.id("kc-login"));
            browser.open("/appliances");
            browser.waitFor(By.id("kc-login"));
            assertFalse(browser.present(By.id("appliances")), "the appliances are shown after signing out");
        }
    }

    @Test
    void anotherTenantsApplianceIsNotReachableByItsUrl() throws ApiException {
        String uid = "tenant-b-" + shortId();
        registerDirectly(RealmUsers.ADMIN_B, uid, "Tenant B's");
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/appliances/" + uid);
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            assertFalse(browser.present(By.id("appliance-uid")));
            browser.screenshot("not-found");

            browser.open("/appliances?q=" + uid);
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.cssSelector("tr[data-uid='" + uid + "']")), "listed for tenant-a");
        }
        // it exists, for its own tenant
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/appliances/" + uid);
            assertEquals(uid, browser.waitFor(By.id("appliance-uid")).getText());
        }
    }

    @Test
    void theOverviewCountsTheTenantsAppliancesAndNamesTheServiceThatDidNotAnswer() throws ApiException {
        EdgeFleet api = RealmUsers.ADMIN_A.api(
                stack().keycloak(), stack().applianceService().url());
        registerDirectly(RealmUsers.ADMIN_A, "counted-" + shortId(), null);
        long unpaired = api.appliances()
                .listAppliances(null, 0, 1, io.edgefleet.sdk.model.ApplianceStatus.UNPAIRED, null)
                .getTotal();
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            assertEquals(
                    Long.toString(unpaired),
                    browser.waitFor(By.id("appliances-UNPAIRED")).getText());
            // cluster-service is not running in this test: said so, the rest of the page is there
            assertTrue(browser.find(By.id("figures")).getText().contains("cluster-service did not answer"));
            assertEquals("–", browser.find(By.id("cluster-total")).getText(), "no count without cluster-service");
            assertTrue(browser.present(By.id("incomplete")), "the overview does not say it is incomplete");
            assertFalse(browser.present(By.id("all-well")), "all well claimed without cluster-service");
            // recent changes: the registration above, by this admin, from appliance-service's audit log; the
            // services not running here are named
            WebElement registered = browser.find(By.cssSelector("#recent-changes tr[data-action='registerAppliance']"));
            assertEquals(RealmUsers.ADMIN_A.username, registered.getAttribute("data-actor"));
            assertTrue(registered.getText().contains("appliance-service"), registered.getText());
            assertTrue(
                    browser.find(By.id("changes-unanswered")).getText().contains("cluster-service"),
                    "a service whose log could not be read is named");
            browser.screenshot("overview-counts");
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.waitFor(By.id("figures"));
            assertFalse(browser.present(By.id("recent-changes")), "a viewer reads no audit log");
            assertTrue(browser.present(By.id("changes-for-admins")));
        }
    }

    @Test
    void anAdminEditsAnAppliancesTagsAndDeletesItAfterConfirming() throws ApiException {
        String uid = "edited-" + shortId();
        registerDirectly(RealmUsers.ADMIN_A, uid, "Edit me");
        EdgeFleet api = RealmUsers.ADMIN_A.api(
                stack().keycloak(), stack().applianceService().url());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/appliances/" + uid);
            browser.waitFor(By.id("edit-tags")).click();
            WebElement box = browser.waitFor(By.id("tags"));
            assertEquals("name=Edit me", box.getAttribute("value"));
            // a value longer than the service allows: its error at the box, nothing changed
            box.sendKeys(Keys.ENTER, "region=" + "x".repeat(300));
            browser.find(By.id("save-tags")).click();
            String error = browser.waitFor(By.id("tags-error")).getText();
            assertTrue(error.startsWith("region: ") && error.contains("255"), error);
            assertEquals("true", browser.find(By.id("tags")).getAttribute("aria-invalid"));
            assertEquals(
                    Map.of("name", "Edit me"),
                    api.appliances().getAppliance(uid).getTags());
            browser.screenshot("appliance-tags-error");

            browser.find(By.id("tags")).clear();
            browser.find(By.id("tags")).sendKeys("name=Edited", Keys.ENTER, "region=eu");
            browser.find(By.id("save-tags")).click();
            assertEquals("Edited", browser.waitFor(By.id("appliance-title")).getText());
            assertEquals(
                    Map.of("name", "Edited", "region", "eu"),
                    api.appliances().getAppliance(uid).getTags());

            // delete: nothing happens until confirmed
            browser.find(By.id("delete-appliance")).click();
            browser.waitFor(By.id("confirm-title"));
            browser.screenshot("appliance-confirm-delete");
            browser.find(By.id("cancel")).click();
            browser.waitFor(By.id("appliance-uid"));
            assertEquals(uid, api.appliances().getAppliance(uid).getUid());
            browser.find(By.id("delete-appliance")).click();
            browser.waitFor(By.id("confirm")).click();
            browser.waitFor(By.id("appliances"));
            assertEquals("/appliances", browser.path());
            assertFalse(browser.present(By.cssSelector("tr[data-uid='" + uid + "']")));
            ApiException gone =
                    assertThrows(ApiException.class, () -> api.appliances().getAppliance(uid));
            assertEquals(404, gone.getCode());
        }
    }

    @Test
    void aFormPostedFromAnotherOriginIsRefusedEvenWithTheSessionCookie() throws Exception {
        String uid = "forged-" + shortId();
        registerDirectly(RealmUsers.ADMIN_A, uid, "Keep me");
        EdgeFleet api = RealmUsers.ADMIN_A.api(
                stack().keycloak(), stack().applianceService().url());
        String cookies;
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/appliances/" + uid);
            browser.waitFor(By.id("delete-appliance"));
            cookies = browser.driver.manage().getCookies().stream()
                    .map(c -> c.getName() + "=" + c.getValue())
                    .collect(Collectors.joining("; "));
        }
        // the admin's session cookie attached, as a page of a sibling site could have it sent: refused, nothing deleted
        HttpResponse<String> forged = postDelete(uid, cookies, "http://evil.example");
        assertEquals(403, forged.statusCode(), forged.body());
        assertEquals(uid, api.appliances().getAppliance(uid).getUid());
        // the same request from the console's own page goes through
        String own = console.getProtocol() + "://" + console.getHost() + ":" + console.getPort();
        HttpResponse<String> fromConsole = postDelete(uid, cookies, own);
        assertEquals(303, fromConsole.statusCode(), fromConsole.body());
        ApiException gone =
                assertThrows(ApiException.class, () -> api.appliances().getAppliance(uid));
        assertEquals(404, gone.getCode());
    }

    private HttpResponse<String> postDelete(String uid, String cookies, String origin) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(console.toURI().resolve("appliances/" + uid + "/delete"))
                .header("Cookie", cookies)
                .header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(""))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdminIssuesARegistrationTokenSeesItOnceAndRevokesIt() throws ApiException {
        String description = "rollout " + shortId();
        EdgeFleet api = RealmUsers.ADMIN_A.api(
                stack().keycloak(), stack().applianceService().url());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/tokens");
            browser.waitFor(By.id("description")).sendKeys(description);
            // two values the service refuses: both errors at once, at their fields, and no token
            browser.find(By.id("maxUses")).clear();
            browser.find(By.id("maxUses")).sendKeys("0");
            browser.find(By.id("days")).clear();
            browser.find(By.id("days")).sendKeys("400");
            browser.find(By.id("issue")).click();
            assertTrue(browser.waitFor(By.id("maxUses-error")).getText().contains("from 1"));
            assertTrue(browser.find(By.id("days-error")).getText().contains("365"));
            assertTrue(tokens(api, description).isEmpty(), "a token was issued");
            browser.screenshot("tokens-field-errors");

            browser.find(By.id("maxUses")).clear();
            browser.find(By.id("maxUses")).sendKeys("3");
            browser.find(By.id("days")).clear();
            browser.find(By.id("days")).sendKeys("2");
            browser.find(By.id("tags")).sendKeys("site=berlin");
            browser.find(By.id("issue")).click();
            String secret = browser.waitFor(By.id("token-secret")).getAttribute("value");
            assertTrue(secret.length() >= 20, "no token shown: " + secret);
            browser.screenshot("token-issued");
            List<io.edgefleet.sdk.model.RegistrationTokenView> issued = tokens(api, description);
            assertEquals(1, issued.size());
            var token = issued.get(0);
            assertEquals(3, token.getMaxUses());
            assertEquals(Map.of("site", "berlin"), token.getTags());

            // listed without its secret; revoked only after confirming
            browser.open("/tokens");
            browser.waitFor(By.cssSelector("tr[data-token='" + token.getId() + "']"));
            assertFalse(browser.driver.getPageSource().contains(secret), "the secret is shown again");
            browser.find(By.id("revoke-" + token.getId())).click();
            browser.waitFor(By.id("confirm")).click();
            assertEquals(
                    "REVOKED",
                    browser.waitFor(By.id("token-status-" + token.getId())).getText());
            assertEquals(
                    io.edgefleet.sdk.model.RegistrationTokenStatus.REVOKED,
                    api.registrationTokens().getRegistrationToken(token.getId()).getStatus());
            assertFalse(browser.present(By.id("revoke-" + token.getId())), "a revoked token offered for revoking");
            browser.screenshot("tokens");
        }
        // a viewer sees the tokens, and no control to issue or revoke
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/tokens");
            browser.waitFor(By.id("tokens"));
            assertFalse(browser.present(By.cssSelector("main form, [id^='revoke-']")), "write controls");
        }
    }

    private static List<io.edgefleet.sdk.model.RegistrationTokenView> tokens(EdgeFleet api, String description)
            throws ApiException {
        return api.registrationTokens().listRegistrationTokens(0, 200, null).getItems().stream()
                .filter(t -> description.equals(t.getDescription()))
                .toList();
    }

    private static void registerDirectly(RealmUsers user, String uid, String name) throws ApiException {
        RegisterAppliance request = new RegisterAppliance().uid(uid);
        if (name != null) {
            request.tags(Map.of("name", name));
        }
        user.api(stack().keycloak(), stack().applianceService().url())
                .appliances()
                .registerAppliance(request);
    }

    private static ConsoleStackTestResource stack() {
        return ConsoleStackTestResource.current();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
