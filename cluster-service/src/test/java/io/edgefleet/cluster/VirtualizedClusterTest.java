package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.gateway.nodes.libvirt.LibvirtNodeDriver;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.awaitStatus;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtualized cluster on a bare-metal appliance with libvirt: a real gateway whose driver is the libvirt
 * node driver on libvirt's test driver (src/test/resources/libvirt/testnode.xml: networks default and mgmt,
 * storage pools images, vms and data). Validation runs against the networks and pools the gateway reported;
 * the domains get the pool's resources, the appliance's network and storage placement, and the VIP and NTP
 * servers in their bootstrap.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualizedClusterTest {

    private static final String APPLIANCE = "kvm-1";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    private Gateways gateways;
    private Bus bus;
    private SpyingDriver driver;
    private ProfileSnapshot profile;

    @BeforeAll
    void libvirtAppliance() throws Exception {
        gateways = new Gateways();
        bus = new Bus(db);
        String uri = "test://"
                + Path.of(getClass().getResource("/libvirt/testnode.xml").toURI())
                        .toAbsolutePath();
        driver = new SpyingDriver(new LibvirtNodeDriver(uri, TENANT_A));
        GatewayReport registration = gateways.start(TENANT_A, APPLIANCE, true, Gateways.newStateDir(APPLIANCE), driver);
        assertEquals(ApplianceKind.BARE_METAL_LIBVIRT, registration.kind());
        bus.appliance(TENANT_A, Fixtures.ready(registration, 1));
        profile = Fixtures.profile(UUID.randomUUID().toString(), CloudType.VIRTUALIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
    }

    @AfterAll
    void cleanUp() {
        gateways.close();
        bus.close();
    }

    private String body(String name, String network, String vip) {
        return """
                {"name":"%s","profileId":"%s",
                 "cloudConfig":{"virtualIp":"%s","sshKeys":["%s"],"ntpServers":["0.pool.ntp.org","10.10.0.1"]},
                 "pools":[{"name":"cp","master":true,"size":1,"allowWorkerCapability":false,"cpu":1,"memoryGb":2,"rootDiskGb":12,
                           "dataDiskGb":5,"appliances":[{"uid":"%s","networkType":"network","networkName":"%s",
                           "imagePool":"images","targetPool":"vms","dataPool":"data"}]},
                          {"name":"workers","size":1,"cpu":1,"memoryGb":2,"rootDiskGb":12,
                           "appliances":[{"uid":"%s","networkType":"network","networkName":"%s",
                           "imagePool":"images","targetPool":"vms","dataPool":"data"}]}]}
                """.formatted(name, profile.id(), vip, Fixtures.SSH_KEY, APPLIANCE, network, APPLIANCE, network);
    }

    @Test
    void validatesPlacementAgainstTheReportedInventoryThenProvisionsDomains() throws Exception {
        // what the gateway reported decides: no such network, the VIP inside the service CIDR (vCPUs and memory against
        // the host are checked once the placement itself is valid: Preflight.appliances, ClusterApiTest)
        admin(TENANT_A)
                .body(body("virt-bad", "backbone", "10.96.0.10"))
                .post("/v1/clusters")
                .then()
                .statusCode(400)
                .contentType(Api.PROBLEM)
                .body("errors.field", hasItem("pools[0].appliances[0].networkName"))
                .body(
                        "errors.find { it.field == 'pools[0].appliances[0].networkName' }.message",
                        containsString(
                                "pool 'cp', appliance 'kvm-1': network 'backbone' is not among its libvirt networks"))
                .body("errors.field", hasItem("cloudConfig.virtualIp"))
                .body(
                        "errors.find { it.field == 'cloudConfig.virtualIp' }.message",
                        containsString("inside the service CIDR 10.96.0.0/12"));

        String id = admin(TENANT_A)
                .body(body("virt-1", "mgmt", "10.10.0.100"))
                .post("/v1/clusters")
                .then()
                .statusCode(201)
                .body("cloudType", equalTo("virtualized"))
                .extract()
                .path("id");
        awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(90));

        List<NodeStatus> domains =
                driver.list().stream().filter(n -> id.equals(n.clusterId())).toList();
        assertEquals(2, domains.size());
        assertTrue(
                domains.stream().allMatch(d -> d.state() == NodeState.RUNNING && d.ref() != null), domains.toString());
        assertEquals(2, driver.created.size());
        for (NodeSpec spec : driver.created) {
            assertEquals("debian-12-base.qcow2", spec.image(), "the OS layer's base image volume");
            assertEquals(
                    new NodeSpec.VirtualPlacement(
                            "network", "mgmt", "images", "vms", "data", spec.role() == NodeRole.MASTER ? 5 : 0),
                    spec.placement());
            assertEquals(1, spec.resources().cpus());
            assertEquals(2048, spec.resources().memoryMb());
            assertEquals(12, spec.resources().rootDiskGb());
            assertEquals(List.of(Fixtures.SSH_KEY), spec.sshAuthorizedKeys());
            String bootstrapFile = spec.files().stream()
                    .filter(f -> f.path().equals("/etc/edgefleet/bootstrap.yaml"))
                    .findFirst()
                    .orElseThrow()
                    .content();
            assertTrue(bootstrapFile.contains("controlPlaneEndpoint: 10.10.0.100:6443"), bootstrapFile);
            assertTrue(
                    bootstrapFile.contains("0.pool.ntp.org") && bootstrapFile.contains("cloudType: virtualized"),
                    bootstrapFile);
            assertTrue(
                    bootstrapFile.contains("schedulable: " + (spec.role() == NodeRole.WORKER)),
                    "masters keep their taint");
        }
        assertNotNull(Api.nodes(TENANT_A, id).get(0).get("ref"), "the domain's UUID");

        admin(TENANT_A).delete("/v1/clusters/" + id).then().statusCode(202);
        awaitStatus(TENANT_A, id, "DELETED", Duration.ofSeconds(60));
        assertEquals(
                List.of(),
                driver.list().stream().filter(n -> id.equals(n.clusterId())).toList(),
                "domains and volumes removed");
    }
}
