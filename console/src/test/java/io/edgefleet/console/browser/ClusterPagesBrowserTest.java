package io.edgefleet.console.browser;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.ProxySettings;
import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.CloudType;
import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.CreateClusterRequest;
import io.edgefleet.sdk.model.CreateRegistrationToken;
import io.edgefleet.sdk.model.LayerRequest;
import io.edgefleet.sdk.model.PlacementRequest;
import io.edgefleet.sdk.model.PoolRequest;
import io.edgefleet.sdk.model.ProfileRequest;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.RegisterAppliance;
import io.edgefleet.testsupport.TestPublisher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster pages in a real browser (headless Chromium) against the real cluster-service, profile-service and
 * appliance-service (processes) and a real Keycloak. A test's appliances are paired by one gateway report each, sent
 * on gateway-reports as the edge bridge relays it; no gateway carries out the node commands, so the clusters stay
 * PROVISIONING (or DELETING once aborted) — except the one on a real edge gateway, watched to RUNNING.
 * Screenshots under {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterStackTestResource.class, restrictToAnnotatedClass = true)
class ClusterPagesBrowserTest {

    private static TestPublisher publisher;
    private static String profileId;

    @TestHTTPResource("/")
    URL console;

    @AfterAll
    static void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null; // RolloutPagesBrowserTest makes clusters with it too, on the same stack
        }
    }

    @Test
    void anAdminListsFiltersAndFollowsAProvisioningClusterLive() throws ApiException {
        ClusterView cluster = provisioningCluster("berlin-" + shortId());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/clusters");
            browser.waitFor(By.cssSelector("tr[data-id='" + cluster.getId() + "']"));
            browser.screenshot("clusters");

            // the status filter (cluster-service filters), live: the rows change when the select does
            new Select(browser.find(By.id("status"))).selectByValue("RUNNING");
            browser.waitUntil(d -> d.findElements(By.cssSelector("tr[data-id='" + cluster.getId() + "']"))
                    .isEmpty());
            assertTrue(browser.path().contains("status=RUNNING"), browser.path());
            new Select(browser.find(By.id("status"))).selectByValue("PROVISIONING");
            browser.waitFor(By.cssSelector("tr[data-id='" + cluster.getId() + "']"));

            browser.find(By.linkText(cluster.getName())).click();
            browser.waitFor(By.id("cluster-status"));
            assertEquals("/clusters/" + cluster.getId(), browser.path());
            assertEquals("PROVISIONING", browser.find(By.id("cluster-status")).getText());
            assertTrue(browser.find(By.id("cluster-profile")).getText().startsWith("console-edge "));
            assertEquals("none", browser.find(By.id("cluster-reason")).getText());
            assertTrue(browser.present(By.cssSelector("#pools tr[data-pool='masters']")));
            assertTrue(browser.present(By.cssSelector("#pools tr[data-pool='workers']")));
            // cluster-service planned the master node and sent its command (workers come once the master runs):
            // the node and the steps are shown
            browser.waitFor(By.cssSelector("#nodes tr[data-node][data-pool='masters']"));
            assertFalse(
                    browser.present(By.cssSelector("#nodes tr[data-pool='workers']")), "a worker before its master");
            assertTrue(browser.present(By.cssSelector("#nodes td.node-ip")), "no address column");
            assertTrue(browser.present(By.cssSelector("#tasks tr[data-seq]")));
            // an admin is offered what a provisioning cluster allows: abort, no delete, retry or scale
            assertTrue(browser.present(By.id("action-abort")));
            assertFalse(browser.present(By.id("action-delete")));
            assertFalse(browser.present(By.id("action-retry")));
            assertFalse(browser.present(By.cssSelector("[id^='scale-']")));
            assertFalse(browser.present(By.id("action-profile")), "change profile offered while PROVISIONING");
            browser.screenshot("cluster-provisioning");

            // live: another operator aborts it; the open page follows without being reloaded
            ((JavascriptExecutor) browser.driver).executeScript("window.notReloaded = true;");
            stack().api(RealmUsers.ADMIN_A).clusters().abortCluster(cluster.getId());
            browser.waitUntil(d ->
                    "DELETING".equals(d.findElement(By.id("cluster-status")).getText()));
            assertEquals(
                    Boolean.TRUE,
                    ((JavascriptExecutor) browser.driver).executeScript("return window.notReloaded === true;"),
                    "the page was reloaded");
            assertFalse(browser.present(By.id("action-abort")), "abort offered while DELETING");
            browser.screenshot("cluster-deleting-live");

            // tablet width: nothing makes the page scroll sideways
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the cluster page overflows at 820 px");
            browser.screenshot("cluster-tablet");
        }
    }

    @Test
    void anAdminAbortsAClusterOnlyAfterConfirmingAndSeesTheServicesRefusals() throws ApiException {
        ClusterView cluster = provisioningCluster("hamburg-" + shortId());
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/clusters/" + cluster.getId());
            browser.waitFor(By.id("action-abort")).click();
            assertTrue(browser.waitFor(By.id("confirm-title")).getText().startsWith("Abort cluster"));
            browser.screenshot("cluster-confirm-abort");
            // cancelling changes nothing
            browser.find(By.id("cancel")).click();
            browser.waitFor(By.id("cluster-status"));
            assertEquals(
                    ClusterStatus.PROVISIONING,
                    api.clusters().getCluster(cluster.getId()).getStatus());

            browser.find(By.id("action-abort")).click();
            browser.waitFor(By.id("confirm")).click();
            browser.waitUntil(d -> d.getCurrentUrl().endsWith("/clusters/" + cluster.getId()));
            assertEquals("DELETING", browser.waitFor(By.id("cluster-status")).getText());
            assertEquals(
                    ClusterStatus.DELETING,
                    api.clusters().getCluster(cluster.getId()).getStatus());

            // delete is not offered; asked for by its URL, the page says so, and the service's refusal is shown
            browser.open("/clusters/" + cluster.getId() + "/delete");
            assertTrue(browser.waitFor(By.id("action-error")).getText().contains("not possible"));
            browser.find(By.id("confirm")).click();
            String refusal = browser.waitFor(By.id("action-error")).getText();
            assertTrue(refusal.contains("DELETING"), refusal);
            assertEquals(
                    ClusterStatus.DELETING,
                    api.clusters().getCluster(cluster.getId()).getStatus());
            browser.screenshot("cluster-refused");
        }
    }

    @Test
    void changingTheProfileOffersTheTenantsProfilesOfItsCloudTypeAndShowsTheServicesRefusal() throws ApiException {
        ClusterView cluster = provisioningCluster("munich-" + shortId());
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        ProfileView virtualized = api.profiles()
                .createProfile(new ProfileRequest()
                        .name("virt-" + shortId())
                        .type(ProfileType.FULL)
                        .cloudType(CloudType.VIRTUALIZED)
                        .layers(List.of(
                                new LayerRequest()
                                        .name("ubuntu")
                                        .version("22.04.x")
                                        .values("pack:\n  vmImage: debian-12.qcow2"),
                                new LayerRequest().name("kubernetes").version("1.29.x"),
                                new LayerRequest().name("calico").version("3.27.x"),
                                new LayerRequest()
                                        .name("local-path-provisioner")
                                        .version("0.0.x"))));
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            // not offered while PROVISIONING; asked for by its URL, the page says so
            browser.open("/clusters/" + cluster.getId() + "/profile");
            assertTrue(browser.waitFor(By.id("action-error")).getText().contains("not possible"));
            Select choices = new Select(browser.find(By.id("profileId")));
            List<String> offered = choices.getOptions().stream()
                    .map(o -> o.getAttribute("value"))
                    .toList();
            assertTrue(offered.contains(cluster.getProfile().getId()), offered.toString());
            assertFalse(
                    offered.contains(virtualized.getId()), "a virtualized profile offered to a containerized cluster");
            assertTrue(choices.getFirstSelectedOption().getText().endsWith("(now)"));
            assertTrue(browser.present(By.cssSelector("label[for='profileId']")), "the select is labelled");
            browser.screenshot("cluster-change-profile");

            // the service refuses (409): shown on the page, the cluster unchanged
            browser.find(By.id("confirm")).click();
            String refusal = browser.waitFor(By.id("action-error")).getText();
            assertTrue(refusal.contains("PROVISIONING"), refusal);
            assertEquals(
                    ClusterStatus.PROVISIONING,
                    api.clusters().getCluster(cluster.getId()).getStatus());
            browser.screenshot("cluster-change-profile-refused");
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/clusters/" + cluster.getId() + "/profile");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            assertFalse(browser.present(By.id("profileId")));
        }
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/clusters/" + cluster.getId() + "/profile");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
        }
    }

    @Test
    void aViewerSeesAClusterAndNoWriteControls() throws ApiException {
        ClusterView cluster = provisioningCluster("viewed-" + shortId());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/clusters/" + cluster.getId());
            browser.waitFor(By.cssSelector("#nodes tr[data-node]"));
            assertFalse(browser.present(By.cssSelector("main form, main button, .cluster-actions")), "write controls");
            browser.screenshot("cluster-viewer");

            browser.open("/clusters/" + cluster.getId() + "/abort");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            assertFalse(browser.present(By.id("confirm-form")));
        }
    }

    @Test
    void anotherTenantsClusterIsANotFoundPage() throws ApiException {
        ClusterView cluster = provisioningCluster("tenant-a-" + shortId());
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_B.username, RealmUsers.ADMIN_B.password());
            browser.open("/clusters/" + cluster.getId());
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
            assertFalse(browser.present(By.id("cluster-status")));
            browser.open("/clusters/" + cluster.getId() + "/abort");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));

            browser.open("/clusters");
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.cssSelector("tr[data-id='" + cluster.getId() + "']")), "listed");
            browser.open("/clusters/not-a-cluster-id");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("404"));
        }
        assertEquals(
                ClusterStatus.PROVISIONING,
                stack().api(RealmUsers.ADMIN_A)
                        .clusters()
                        .getCluster(cluster.getId())
                        .getStatus());
    }

    @Test
    void theWizardShowsPreflightErrorsAtTheirFieldsCreatesNothingThenCreatesTheCluster() throws ApiException {
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        String uid = readyAppliance(api, RealmUsers.ADMIN_A, "tenant-a");
        String profile = profile(api);
        awaitKnownToClusterService(api, profile, uid);
        String name = "wizard-" + shortId();
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
            browser.open("/clusters");
            browser.waitFor(By.id("new-cluster")).click();

            // 1. basic information, with the keyboard: Enter goes to the next step
            browser.waitFor(By.id("f-name")).sendKeys(name);
            browser.find(By.id("f-tags")).sendKeys("site=berlin");
            assertTrue(browser.present(By.cssSelector("label[for='f-name']")));
            browser.screenshot("wizard-basics");
            browser.find(By.id("f-name")).sendKeys(Keys.ENTER);
            // 2. profile (one step at a time: the others are hidden, their fields kept in the form)
            browser.waitFor(By.id("profile-" + profile)).click();
            assertFalse(browser.find(By.id("f-name")).isDisplayed(), "step 1 still shown");
            assertFalse(browser.find(By.id("f-pools-0-cpu")).isDisplayed(), "step 5 already shown");
            browser.screenshot("wizard-profile");
            browser.find(By.id("next")).click();
            // 3. parameters: one override box per pack of the chosen profile
            browser.waitFor(By.id("f-packValues-kubernetes"));
            browser.find(By.id("next")).click();
            // 4. cluster configuration
            browser.waitFor(By.id("f-cloudConfig-sshKeys"));
            browser.find(By.id("next")).click();
            // 5. node pools: more CPUs and memory per master than the appliance has (pre-flight: capacity)
            browser.waitFor(By.id("f-pools-0-cpu")).clear();
            browser.find(By.id("f-pools-0-cpu")).sendKeys("16");
            browser.find(By.id("f-pools-0-memoryGb")).clear();
            browser.find(By.id("f-pools-0-memoryGb")).sendKeys("64");
            checkAppliance(browser, 0, uid);
            checkAppliance(browser, 1, uid);
            browser.screenshot("wizard-pools");
            browser.find(By.id("next")).click();
            // 6. policies: policy-service runs in this stack; its policies are offered (choosing none is fine)
            browser.waitFor(By.id("f-policyIds"));
            assertFalse(browser.present(By.id("policies-error")), "policy-service named as not answering");
            browser.find(By.id("next")).click();
            // 7. review
            assertTrue(browser.waitFor(By.id("review")).getText().contains(name));
            browser.find(By.id("create")).click();

            // cluster-service's pre-flight errors, both at once, each at its field; every step is shown
            browser.waitFor(By.id("error-summary"));
            String cpu = browser.find(By.id("f-pools-0-cpu-error")).getText();
            assertTrue(cpu.contains("16"), cpu);
            String memory = browser.find(By.id("f-pools-0-memoryGb-error")).getText();
            assertTrue(memory.contains("GB"), memory);
            assertEquals("true", browser.find(By.id("f-pools-0-cpu")).getAttribute("aria-invalid"));
            assertEquals("16", browser.find(By.id("f-pools-0-cpu")).getAttribute("value"), "what was typed is kept");
            assertTrue(browser.find(By.id("f-name")).isDisplayed(), "not every step is shown");
            browser.screenshot("wizard-preflight-errors");
            browser.resize(820, 1180);
            assertFalse(browser.overflowsSideways(), "the wizard overflows at 820 px");
            browser.screenshot("wizard-tablet");
            browser.resize(1280, 900);
            assertTrue(
                    api.clusters().listClusters(0, 200, null).getItems().stream()
                            .noneMatch(c -> c.getName().equals(name)),
                    "a cluster was created");

            // corrected: created, and its page follows the provisioning
            browser.find(By.id("f-pools-0-cpu")).clear();
            browser.find(By.id("f-pools-0-cpu")).sendKeys("1");
            browser.find(By.id("f-pools-0-memoryGb")).clear();
            browser.find(By.id("f-pools-0-memoryGb")).sendKeys("1");
            browser.find(By.id("create")).click();
            browser.waitFor(By.id("cluster-status"));
            assertEquals(name, browser.find(By.id("cluster-title")).getText());
            String id = browser.find(By.id("cluster-id")).getText();
            ClusterView created = api.clusters().getCluster(id);
            assertEquals(name, created.getName());
            assertEquals(Map.of("site", "berlin"), created.getTags());
            assertEquals(profile, created.getProfile().getId());
            assertEquals(List.of(uid), created.getApplianceUids());
            assertEquals(2, created.getPools().size());
            // no gateway answers here: it is being provisioned, and the page says it follows that live
            assertTrue(
                    List.of("PENDING", "PROVISIONING")
                            .contains(browser.find(By.id("cluster-status")).getText()),
                    browser.find(By.id("cluster-status")).getText());
            assertTrue(browser.present(By.id("following")));
            browser.screenshot("wizard-created");
        }
    }

    @Test
    void aViewerIsNotOfferedTheWizard() {
        try (Browser browser = new Browser(console.toString())) {
            browser.logIn(RealmUsers.VIEWER_A.username, RealmUsers.VIEWER_A.password());
            browser.open("/clusters");
            browser.waitFor(By.id("match-count"));
            assertFalse(browser.present(By.id("new-cluster")));
            browser.open("/clusters/new");
            assertTrue(browser.waitFor(By.id("error-title")).getText().startsWith("403"));
            assertFalse(browser.present(By.id("wizard")));
        }
    }

    /** The cluster page records every status and node state it shows, in the page itself (lost on a reload). */
    private static final String RECORD_WHAT_THE_PAGE_SHOWS = """
            window.seen = {statuses: [], nodeStates: []};
            const note = (list, value) => { if (value && list[list.length - 1] !== value) list.push(value); };
            const look = () => {
              const status = document.getElementById('cluster-status');
              note(window.seen.statuses, status && status.textContent.trim());
              document.querySelectorAll('#nodes tr[data-node]')
                .forEach(row => note(window.seen.nodeStates, row.getAttribute('data-state')));
            };
            look();
            new MutationObserver(look).observe(document.body, {childList: true, subtree: true, characterData: true});
            """;

    /**
     * Issue 17: a cluster made with the wizard on a gateway, watched to RUNNING live. The appliance is a real edge
     * gateway on this machine ({@link EdgeGatewayProcess}: the packaged jar as a process): it enrols at
     * appliance-service's HTTPS edge endpoint with a registration token an admin issued (its own key, a certificate of
     * the test edge CA), connects over MQTT/TLS to a real Mosquitto, the edge bridge process between it and the stack's
     * Kafka ({@link ClusterStackTestResource#edgeLink()}, started by this test); its registration pairs it, and it
     * carries out cluster-service's node commands with its Docker driver: the master is a real container. In this
     * class to share its stack (a class of its own would start Keycloak and the four services once more).
     */
    @Test
    void anAdminCreatesAClusterWithTheWizardAndWatchesItReachRunningLive() throws Exception {
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        String uid = "gw-" + shortId();
        String token = api.registrationTokens()
                .createRegistrationToken(new CreateRegistrationToken().tags(Map.of("name", "Gateway " + uid)))
                .getToken();
        stack().edgeLink();
        String clusterId = null;
        try (EdgeGatewayProcess gateway =
                EdgeGatewayProcess.start(uid, stack().edgeUrl(), token, stack().platformCa())) {
            // it enrols (the appliance is registered with the token's tags), then its registration, relayed by the
            // bridge, pairs it
            await("appliance " + uid + " READY")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(ApiException.class)
                    .failFast("the gateway exited: see " + gateway.log(), () -> !gateway.alive())
                    .until(() -> api.appliances().getAppliance(uid).getStatus() == ApplianceStatus.READY);
            assertEquals("Gateway " + uid, api.appliances().getAppliance(uid).getName());
            String profile = profile(api);
            awaitKnownToClusterService(api, profile, uid);

            String name = "live-" + shortId();
            try (Browser browser = new Browser(console.toString())) {
                browser.logIn(RealmUsers.ADMIN_A.username, RealmUsers.ADMIN_A.password());
                browser.open("/clusters");
                browser.waitFor(By.id("new-cluster")).click();
                // 1. basic information, 2. profile, 3. parameters, 4. cluster configuration
                browser.waitFor(By.id("f-name")).sendKeys(name);
                browser.find(By.id("next")).click();
                browser.waitFor(By.id("profile-" + profile)).click();
                browser.find(By.id("next")).click();
                browser.waitFor(By.id("f-packValues-kubernetes"));
                browser.find(By.id("next")).click();
                browser.waitFor(By.id("f-cloudConfig-sshKeys"));
                browser.find(By.id("next")).click();
                // 5. node pools: one master on the gateway's appliance, the wizard's worker pool removed
                browser.waitFor(By.id("remove-pool-1")).click();
                browser.waitUntil(d -> d.findElements(By.id("f-pools-1-size")).isEmpty());
                browser.waitFor(By.id("f-pools-0-size")).clear();
                browser.find(By.id("f-pools-0-size")).sendKeys("1");
                browser.find(By.id("f-pools-0-cpu")).clear();
                browser.find(By.id("f-pools-0-cpu")).sendKeys("1");
                browser.find(By.id("f-pools-0-memoryGb")).clear();
                browser.find(By.id("f-pools-0-memoryGb")).sendKeys("1");
                browser.find(By.cssSelector("input[name='pools[0].appliances'][value='" + uid + "']"))
                        .click();
                browser.screenshot("live-wizard-pools");
                browser.find(By.id("next")).click();
                // 6. policies (none), 7. review, create
                browser.waitFor(By.id("f-policyIds"));
                browser.find(By.id("next")).click();
                assertTrue(browser.waitFor(By.id("review")).getText().contains(name));
                browser.find(By.id("create")).click();

                // the cluster's page, following its progress
                browser.waitFor(By.id("cluster-status"));
                assertEquals(name, browser.find(By.id("cluster-title")).getText());
                String id = browser.find(By.id("cluster-id")).getText();
                clusterId = id;
                ((JavascriptExecutor) browser.driver).executeScript(RECORD_WHAT_THE_PAGE_SHOWS);
                assertTrue(browser.present(By.id("following")), "the page does not follow the cluster");
                browser.screenshot("live-cluster-provisioning");

                // RUNNING, the node running, without a reload (the recording lives in the page)
                await("the page shows " + name + " RUNNING with its node running")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptionsInstanceOf(WebDriverException.class)
                        .until(() -> "RUNNING"
                                        .equals(browser.find(By.id("cluster-status"))
                                                .getText())
                                && browser.present(
                                        By.cssSelector("#nodes tr[data-pool='masters'][data-state='RUNNING']")));
                @SuppressWarnings("unchecked")
                Map<String, List<String>> seen = (Map<String, List<String>>)
                        ((JavascriptExecutor) browser.driver).executeScript("return window.seen;");
                assertTrue(seen != null, "the page was reloaded");
                List<String> statuses = seen.get("statuses");
                assertTrue(List.of("PENDING", "PROVISIONING").contains(statuses.get(0)), statuses.toString());
                assertTrue(statuses.contains("PROVISIONING"), "never shown provisioning: " + statuses);
                assertEquals("RUNNING", statuses.get(statuses.size() - 1), statuses.toString());
                List<String> nodeStates = seen.get("nodeStates");
                assertFalse(nodeStates.isEmpty(), "no node shown");
                assertFalse("RUNNING".equals(nodeStates.get(0)), "the node was shown running at once: " + nodeStates);
                assertEquals("RUNNING", nodeStates.get(nodeStates.size() - 1), nodeStates.toString());
                // settled: the page stops polling, the pool counts its running node
                browser.waitUntil(d -> d.findElements(By.id("following")).isEmpty());
                assertEquals("false", browser.find(By.id("live")).getAttribute("data-live"));
                assertEquals(
                        "1",
                        browser.find(By.cssSelector("#pools tr[data-pool='masters'] td:nth-child(4)"))
                                .getText());
                browser.screenshot("live-cluster-running");

                ClusterView cluster = api.clusters().getCluster(id);
                assertEquals(ClusterStatus.RUNNING, cluster.getStatus());
                assertEquals(List.of(uid), cluster.getApplianceUids());
                assertEquals(1, cluster.getPools().size());
                assertEquals(1, EdgeGatewayProcess.nodesOf(id), "the master is one container on this machine");
            }
        } finally {
            if (clusterId != null) {
                EdgeGatewayProcess.removeNodesOf(clusterId);
            }
        }
    }

    private static void checkAppliance(Browser browser, int pool, String uid) {
        browser.find(By.cssSelector("input[name='pools[" + pool + "].appliances'][value='" + uid + "']"))
                .click();
    }

    /**
     * Waits until cluster-service knows the profile and the appliance (from their events): a request that only its
     * capacity check refuses (a master with more CPUs than the appliance has) — which creates nothing.
     */
    static void awaitKnownToClusterService(EdgeFleet api, String profile, String uid) {
        CreateClusterRequest probe = new CreateClusterRequest()
                .name("probe-" + shortId())
                .profileId(profile)
                .pools(List.of(new PoolRequest()
                        .name("masters")
                        .master(true)
                        .size(1)
                        .cpu(64)
                        .memoryGb(1)
                        .appliances(List.of(new PlacementRequest().uid(uid)))));
        await("cluster-service knows profile " + profile + " and appliance " + uid)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try {
                        api.clusters().createCluster(probe);
                        throw new AssertionError("the probe was created");
                    } catch (ApiException e) {
                        return e.getCode() == 400
                                && e.getResponseBody().contains("pools[0].cpu")
                                && !e.getResponseBody().contains("profileId")
                                && !e.getResponseBody().contains("appliances[0]");
                    }
                });
    }

    /** A cluster of tenant-a (1 master + 1 worker) on an appliance of its own, PROVISIONING. */
    static ClusterView provisioningCluster(String name) throws ApiException {
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        String uid = readyAppliance(api, RealmUsers.ADMIN_A, "tenant-a");
        CreateClusterRequest create = new CreateClusterRequest()
                .name(name)
                .profileId(profile(api))
                .pools(List.of(
                        new PoolRequest()
                                .name("masters")
                                .master(true)
                                .size(1)
                                .allowWorkerCapability(true)
                                .cpu(1)
                                .memoryGb(1)
                                .appliances(List.of(new PlacementRequest().uid(uid))),
                        new PoolRequest()
                                .name("workers")
                                .size(1)
                                .cpu(1)
                                .memoryGb(1)
                                .appliances(List.of(new PlacementRequest().uid(uid)))));
        // cluster-service learns of the profile and the appliance from their events, a moment after they exist
        ClusterView created = await("cluster-service accepts " + name)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsMatching(e -> e instanceof ApiException a && a.getCode() == 400)
                .until(() -> api.clusters().createCluster(create), c -> true);
        return await("provisioning " + name)
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.clusters().getCluster(created.getId()),
                        c -> c.getStatus() == ClusterStatus.PROVISIONING);
    }

    /** Registers an appliance and pairs it with one report of its "gateway", relayed as the edge bridge does. */
    static String readyAppliance(EdgeFleet api, RealmUsers admin, String tenant) throws ApiException {
        String uid = "site-" + shortId();
        api.appliances().registerAppliance(new RegisterAppliance().uid(uid).tags(Map.of("name", "Site " + uid)));
        GatewayReport report = new GatewayReport(
                uid,
                ApplianceKind.VM,
                new Inventory(
                        "edge-" + uid,
                        "10.0.0.7",
                        4,
                        8L << 30,
                        List.of(new Inventory.Disk("vda", 50L << 30)),
                        null,
                        new Inventory.Docker(true, "24.0.5")),
                "0.1.0",
                "online",
                "192.168.0.0/16",
                "10.96.0.0/12",
                ProxySettings.NONE);
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/edge-gateway",
                EventTypes.GATEWAY_HEARTBEAT,
                uid,
                tenant,
                Instant.now(),
                EventJson.write(report));
        publisher().send(KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, uid, event));
        await("appliance " + uid + " READY")
                .atMost(Duration.ofSeconds(30))
                .until(() -> api.appliances().getAppliance(uid).getStatus() == ApplianceStatus.READY);
        return uid;
    }

    /** tenant-a's containerized profile from profile-service's built-in packs (made once for the class). */
    static synchronized String profile(EdgeFleet api) throws ApiException {
        if (profileId == null) {
            ProfileView profile = api.profiles()
                    .createProfile(new ProfileRequest()
                            .name("console-edge")
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
            profileId = profile.getId();
        }
        return profileId;
    }

    private static synchronized TestPublisher publisher() {
        if (publisher == null) {
            publisher = new TestPublisher();
        }
        return publisher;
    }

    static ClusterStackTestResource stack() {
        return ClusterStackTestResource.current();
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
