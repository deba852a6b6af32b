package io.edgefleet.console.browser;

import io.edgefleet.fleetsim.Fleet;
import io.edgefleet.fleetsim.FleetSettings;
import io.edgefleet.fleetsim.SimIdentity;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;
import io.edgefleet.sdk.model.RegisterAppliance;
import io.edgefleet.testsupport.EdgeLinkTestResource;
import io.edgefleet.testsupport.EdgePki;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.edgefleet.console.browser.ClusterPagesBrowserTest.awaitKnownToClusterService;
import static io.edgefleet.console.browser.ClusterPagesBrowserTest.profile;
import static io.edgefleet.console.browser.ClusterPagesBrowserTest.shortId;
import static io.edgefleet.console.browser.ClusterPagesBrowserTest.stack;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: a cluster made with the wizard on an appliance that carries out node commands, watched to RUNNING live.
 * The appliance is fleet-sim's simulated one ({@link Fleet}): its own device certificate of the test edge CA, one
 * MQTT/TLS connection to a real Mosquitto, the edge bridge process between it and the stack's Kafka
 * ({@link ClusterStackTestResource#edgeLink()}); it registers (appliance-service pairs it from that report, as in
 * production), heartbeats, and answers cluster-service's node commands with progress and, after a simulated run time,
 * the node RUNNING — no containers. Everything else is the same stack as {@link ClusterPagesBrowserTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterStackTestResource.class, restrictToAnnotatedClass = true)
class ClusterProvisioningBrowserTest {

    private static final String TENANT = "tenant-a";
    /**
     * How long the simulated node commands "run": long enough that the page's 3 s poll shows the cluster
     * provisioning before its node runs.
     */
    private static final Duration COMMAND_TIME = Duration.ofSeconds(8);

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

    @TestHTTPResource("/")
    URL console;

    @Test
    void anAdminCreatesAClusterWithTheWizardAndWatchesItReachRunningLive() throws Exception {
        EdgeFleet api = stack().api(RealmUsers.ADMIN_A);
        String uid = "sim-" + shortId();
        api.appliances().registerAppliance(new RegisterAppliance().uid(uid).tags(Map.of("name", "Simulated " + uid)));
        stack().edgeLink();
        try (Fleet appliance = simulatedAppliance(uid)) {
            appliance.connectAll();
            assertTrue(appliance.awaitConnected(1, 60_000), "the simulated appliance connected to Mosquitto");
            // its registration, relayed by the bridge, pairs it
            await("appliance " + uid + " READY")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> api.appliances().getAppliance(uid).getStatus() == ApplianceStatus.READY);
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
                // 5. node pools: one master on the simulated appliance, the wizard's worker pool removed
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
            }
        }
    }

    /** One fleet-sim appliance of tenant-a with a device certificate of the test edge CA. */
    private static Fleet simulatedAppliance(String uid) throws Exception {
        EdgePki pki = EdgeLinkTestResource.pki();
        String mqtt = EdgeLinkTestResource.broker().deviceUrl();
        EdgePki.Issued device = pki.device(TENANT, uid);
        SimIdentity identity = new SimIdentity(
                TENANT,
                uid,
                mqtt,
                device.certificate().getEncoded(),
                device.key().getEncoded());
        FleetSettings settings = new FleetSettings(
                TlsMaterial.trustManagers(pki.platformCa().certFile()),
                mqtt,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                COMMAND_TIME,
                1,
                List.of(),
                1);
        return new Fleet(settings, List.of(identity));
    }
}
