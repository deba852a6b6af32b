package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ClusterSnapshot;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.events.payload.PolicySnapshot;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.TestTokens;
import io.edgefleet.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgefleet.cluster.Api.PROBLEM;
import static io.edgefleet.cluster.Api.admin;
import static io.edgefleet.cluster.Api.json;
import static io.edgefleet.cluster.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static io.edgefleet.testsupport.TestTokens.TENANT_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API without gateways: every validation rule (shape and pre-flight against the projections of
 * appliances and profiles, each error naming pool, appliance and field), state rules (409), roles, tenant
 * isolation, paging, and the authentication of gateway reports. Appliances and profiles are published as
 * appliance-service and profile-service would; no gateway runs, so clusters created here stay PROVISIONING.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    private Bus bus;
    private String containerized;
    private String virtualized;
    private String addon;
    private String profileOfB;

    @BeforeAll
    void projections() {
        bus = new Bus(db);
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-1", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-2", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-3", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance(
                        "api-bm-1", ApplianceStatus.READY, ApplianceKind.BARE_METAL, Fixtures.vmInventory(8, 16)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance(
                        "api-down", ApplianceStatus.UNREACHABLE, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance(
                        "api-kvm-1",
                        ApplianceStatus.READY,
                        ApplianceKind.BARE_METAL_LIBVIRT,
                        Fixtures.libvirtInventory(8, 16, 100)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-5", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-sse-1", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        bus.appliance(
                TENANT_B,
                Fixtures.appliance("api-vm-b", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        containerized = profile(TENANT_A, CloudType.CONTAINERIZED);
        virtualized = profile(TENANT_A, CloudType.VIRTUALIZED);
        addon = UUID.randomUUID().toString();
        bus.profile(TENANT_A, Fixtures.addonProfile(addon));
        profileOfB = profile(TENANT_B, CloudType.CONTAINERIZED);
    }

    @AfterAll
    void close() {
        bus.close();
    }

    private String profile(String tenant, CloudType type) {
        ProfileSnapshot p = Fixtures.profile(UUID.randomUUID().toString(), type, "1.27.13", "");
        bus.profile(tenant, p);
        return p.id();
    }

    private static ValidatableResponse create(String tenant, String body) {
        return admin(tenant).body(body).post("/v1/clusters").then();
    }

    private static ValidatableResponse invalid(String body, String field, String message) {
        return create(TENANT_A, body)
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:edgefleet:problem:invalid-request"))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }

    /** A containerized body with one pool definition replaced. */
    private String withPools(String pools) {
        return """
                {"name": "c-%s", "profileId": "%s", "pools": %s}
                """.formatted(UUID.randomUUID().toString().substring(0, 8), containerized, pools);
    }

    private String virtualBody(String cloudConfig, String placement, String pool) {
        return virtualBody("v-" + UUID.randomUUID().toString().substring(0, 8), cloudConfig, placement, pool);
    }

    private String virtualBody(String name, String cloudConfig, String placement, String pool) {
        return """
                {
                  "name": "%s",
                  "profileId": "%s",
                  "cloudConfig": %s,
                  "pools": [{"name": "cp", "master": true, "size": 1, %s, "appliances": [%s]}]
                }
                """.formatted(name, virtualized, cloudConfig, pool, placement);
    }

    /** Appliance api-kvm-1's placement of a virtualized pool's nodes. */
    private static String kvm(String networkType, String networkName, String targetPool, String dataPool) {
        return """
                {"uid": "api-kvm-1", "networkType": "%s", "networkName": "%s",
                 "imagePool": "images", "targetPool": "%s", "dataPool": "%s"}
                """.formatted(networkType, networkName, targetPool, dataPool);
    }

    /** A virtualized pool's node sizes: fields of the pool object. */
    private static String sizes(int cpu, int memoryGb, int rootDiskGb) {
        return """
                "cpu": %d, "memoryGb": %d, "rootDiskGb": %d""".formatted(cpu, memoryGb, rootDiskGb);
    }

    private static String virtualIp(String address) {
        return """
                {"virtualIp": "%s"}""".formatted(address);
    }

    private static final String KVM_OK = kvm("network", "mgmt", "vms", "data");
    private static final String VM_POOL = """
            {"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "api-vm-1"}]}
            """;

    @Test
    void rejectsMalformedInputWithAProblemNamingEachField() {
        invalid("""
                {"name": "Not A Name!", "profileId": "p", "pools": []}
                """, "name", "lowercase letters");
        invalid("""
                {"name": "x", "profileId": "p", "pools": []}
                """, "pools", "is required");
        invalid("""
                {"profileId": "p", "pools": [%s]}
                """.formatted(VM_POOL), "name", "is required");
        invalid(withPools("""
                [
                  {"name": "a", "master": true, "size": 1, "appliances": [{"uid": "api-vm-1"}]},
                  {"name": "b", "master": true, "size": 1, "appliances": [{"uid": "api-vm-1"}]}
                ]
                """), "pools", "exactly one pool must be the master");
        // strict types: "1" is not a number, 1 is not a name, a number is not an enum constant
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": "1", "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].size", "type");
        invalid(withPools("""
                [{"name": 7, "master": true, "size": 1, "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].name", "type");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1, "rollingStrategy": 0, "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].rollingStrategy", "");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 2, "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].size", "pool 'cp': a master pool has 1, 3 or 5 nodes");
        invalid(withPools("""
                [%s, {"name": "w", "size": -1, "appliances": [{"uid": "api-vm-1"}]}]
                """.formatted(VM_POOL)), "pools[1].size", "a worker pool has 0 to 100 nodes");
        invalid(withPools("""
                [%s, {"name": "cp", "size": 1, "appliances": [{"uid": "api-vm-1"}]}]
                """.formatted(VM_POOL)), "pools[1].name", "pool 'cp' is defined twice");
        invalid(withPools("""
                [%s, {"name": "w", "size": 1, "allowWorkerCapability": true, "appliances": [{"uid": "api-vm-1"}]}]
                """.formatted(VM_POOL)), "pools[1].allowWorkerCapability", "only the master pool");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "api-vm-1"}, {"uid": "api-vm-1"}]}]
                """), "pools[0].appliances[1].uid", "pool 'cp': appliance 'api-vm-1' is listed twice");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1}]
                """), "pools[0].appliances", "lists no appliance");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1, "cpuSet": "3-1", "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].cpuSet", "is not a CPU set");
        invalid("""
                {"name": "x", "profileId": "p", "cloudConfig": {"sshKeys": ["ssh-rsa notbase64!"]}, "pools": [%s]}
                """.formatted(VM_POOL), "cloudConfig.sshKeys[0]", "not base64");
        invalid("""
                {
                  "name": "x",
                  "profileId": "p",
                  "cloudConfig": {"sshKeys": ["ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB"]},
                  "pools": [%s]
                }
                """.formatted(VM_POOL), "cloudConfig.sshKeys[0]", "does not match its type");
        invalid("""
                {"name": "x", "profileId": "p", "cloudConfig": {"sshKeys": ["hello"]}, "pools": [%s]}
                """.formatted(VM_POOL), "cloudConfig.sshKeys[0]", "not an OpenSSH public key");
        invalid("""
                {
                  "name": "x",
                  "profileId": "p",
                  "cloudConfig": {"virtualIp": "10.0.0.300", "ntpServers": ["bad host!"]},
                  "pools": [%s]
                }
                """.formatted(VM_POOL), "cloudConfig.virtualIp", "is not an IP address")
                .body("errors.field", hasItem("cloudConfig.ntpServers[0]"));
        invalid("""
                {"name": "x", "profileId": "p", "packValues": {"ubuntu": "- a\\n- list"}, "pools": [%s]}
                """.formatted(VM_POOL), "packValues.ubuntu", "must be a YAML mapping");
        invalid("""
                {"name": "x", "profileId": "p", "addonProfileIds": ["p"], "pools": [%s]}
                """.formatted(VM_POOL), "addonProfileIds[0]", "is the cluster's profile itself");
        // JSON the API cannot read: 400 problem, never 500
        admin(TENANT_A)
                .body("{\"name\":") // cut off mid-document: kept as the exact bytes
                .post("/v1/clusters")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
        admin(TENANT_A)
                .body("""
                        {"name":"x","colour":"red"}""")
                .post("/v1/clusters")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("colour"));
        admin(TENANT_A)
                .body("""
                        {"name":"x","pools":[{"rollingStrategy":"SIDEWAYS"}]}""")
                .post("/v1/clusters")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("pools[0].rollingStrategy"));
        admin(TENANT_A).post("/v1/clusters").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void preflightChecksProfilesAgainstWhatProfileServicePublished() {
        invalid("""
                {"name": "x", "profileId": "no-such-profile", "pools": [%s]}
                """.formatted(VM_POOL), "profileId", "profile 'no-such-profile' does not exist in your tenant");
        invalid(
                """
                {"name": "x", "profileId": "%s", "pools": [%s]}
                """.formatted(profileOfB, VM_POOL),
                "profileId",
                "does not exist in your tenant"); // another tenant's profile is not there at all
        invalid("""
                {"name": "x", "profileId": "%s", "pools": [%s]}
                """.formatted(addon, VM_POOL), "profileId", "is an ADDON profile");
        invalid(
                """
                {"name": "x", "profileId": "%s", "addonProfileIds": ["%s"], "pools": [%s]}
                """.formatted(containerized, virtualized, VM_POOL),
                "addonProfileIds[0]",
                "is a FULL profile, not an ADDON one");
        invalid(
                """
                {"name": "x", "profileId": "%s", "packValues": {"nginx": "a: 1"}, "pools": [%s]}
                """.formatted(containerized, VM_POOL),
                "packValues.nginx",
                "no layer of the cluster's profiles is pack 'nginx'");
        // an OS file a container cannot take (Docker copies files with numeric owners only)
        invalid(
                """
                {
                  "name": "x",
                  "profileId": "%s",
                  "packValues": {
                    "ubuntu": "kubeadmconfig:\\n  files:\\n    - targetPath: /etc/x\\n      targetOwner: ubuntu:ubuntu\\n      content: x\\n"
                  },
                  "pools": [%s]
                }
                """.formatted(containerized, VM_POOL),
                "packValues.ubuntu.kubeadmconfig.files[0].targetOwner",
                "containerized nodes take root:root or a numeric uid:gid");
    }

    @Test
    void preflightChecksAppliancesAgainstWhatApplianceServicePublished() {
        invalid(
                withPools("""
                        [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "nowhere"}]}]
                        """),
                "pools[0].appliances[0].uid",
                "pool 'cp', appliance 'nowhere': no such appliance in your tenant");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "api-vm-b"}]}]
                """), "pools[0].appliances[0].uid", "appliance 'api-vm-b': no such appliance in your tenant");
        invalid(
                withPools("""
                        [%s, {"name": "edge", "size": 1, "appliances": [{"uid": "api-down"}]}]
                        """.formatted(VM_POOL)),
                "pools[1].appliances[0].uid",
                "pool 'edge', appliance 'api-down': is UNREACHABLE; only READY appliances");
        invalid(
                withPools("""
                        [{"name": "cp", "master": true, "size": 1, "appliances": [{"uid": "api-kvm-1"}]}]
                        """),
                "pools[0].appliances[0].uid",
                "is a BARE_METAL_LIBVIRT appliance: it runs virtualized nodes (libvirt domains); profile "
                        + "'edge-containerized' is containerized and needs VM or BARE_METAL appliances (Docker)");
        invalid(
                withPools("""
                        [{"name": "cp", "master": true, "size": 1, "cpu": 6, "appliances": [{"uid": "api-vm-1"}]}]
                        """),
                "pools[0].cpu",
                "pool 'cp', appliance 'api-vm-1': a container limit of 6 CPUs is more than the appliance's 4");
        invalid(
                withPools("""
                        [{"name": "cp", "master": true, "size": 5, "memoryGb": 2, "appliances": [{"uid": "api-vm-1"}]}]
                        """),
                "pools[0].memoryGb",
                "pool 'cp', appliance 'api-vm-1': the cluster's 5 new nodes need 10 GB of memory there, the appliance has 8 GB");
        invalid(withPools("""
                [{"name": "cp", "master": true, "size": 1, "cpuSet": "0-7", "appliances": [{"uid": "api-vm-1"}]}]
                """), "pools[0].cpuSet", "names CPUs the appliance does not have");
        invalid(withPools("""
                [
                  {
                    "name": "cp",
                    "master": true,
                    "size": 1,
                    "rootDiskGb": 10,
                    "appliances": [{"uid": "api-vm-1", "networkName": "x"}]
                  }
                ]
                """), "pools[0].rootDiskGb", "containerized nodes have no root disk")
                .body("errors.field", hasItem("pools[0].appliances[0]"));
        invalid(
                        """
                        {
                          "name": "x",
                          "profileId": "%s",
                          "cloudConfig": {"virtualIp": "10.0.0.5", "ntpServers": ["ntp.org"]},
                          "pools": [%s]
                        }
                        """.formatted(containerized, VM_POOL),
                        "cloudConfig.virtualIp",
                        "only virtualized clusters have a virtual IP")
                .body("errors.field", hasItem("cloudConfig.ntpServers"));
    }

    @Test
    void preflightChecksVirtualizedClustersAgainstTheLibvirtInventory() {
        String cloud = virtualIp("10.10.0.100");
        String pool = sizes(2, 4, 20);
        invalid(virtualBody("{}", KVM_OK, pool), "cloudConfig.virtualIp", "is required for a virtualized cluster");
        invalid(
                virtualBody(virtualIp("192.168.3.4"), KVM_OK, pool),
                "cloudConfig.virtualIp",
                "inside the pod CIDR 192.168.0.0/16 of the cluster; the virtual IP must be an address of the appliances'"
                        + " network. If it is one (the usual libvirt networks are 192.168.x.0/24), give the pods another"
                        + " range: set packValues.kubernetes.pack.podCIDR (e.g. 172.16.0.0/16)");
        invalid(
                virtualBody(virtualIp("10.100.0.1"), KVM_OK, pool),
                "cloudConfig.virtualIp",
                "inside the service CIDR 10.96.0.0/12");
        invalid(
                virtualBody(cloud, """
                        {"uid": "api-vm-1", "networkType": "network", "networkName": "mgmt",
                         "imagePool": "images", "targetPool": "vms", "dataPool": "data"}
                        """, pool),
                "pools[0].appliances[0].uid",
                "is a VM appliance: it runs containerized nodes (Docker containers); profile 'edge-virtualized' is virtualized "
                        + "and needs BARE_METAL_LIBVIRT appliances (bare metal with libvirt)");
        invalid(
                virtualBody(cloud, kvm("network", "backbone", "vms", "data"), pool),
                "pools[0].appliances[0].networkName",
                "pool 'cp', appliance 'api-kvm-1': network 'backbone' is not among its libvirt networks");
        invalid(
                virtualBody(cloud, kvm("network", "off", "vms", "data"), pool),
                "pools[0].appliances[0].networkName",
                "network 'off' is not active");
        // a bridge placement names one of the bridges the gateway reported
        String bridge = kvm("bridge", "br9", "vms", "data");
        invalid(
                virtualBody(cloud, bridge, pool),
                "pools[0].appliances[0].networkName",
                "pool 'cp', appliance 'api-kvm-1': bridge 'br9' is not among its bridges [br0]");
        invalid( // pre-flight ran (it finds too little memory), and the bridge passed it
                        virtualBody(cloud, kvm("bridge", "br0", "vms", "data"), sizes(2, 32, 20)),
                        "pools[0].memoryGb",
                        "the appliance has 16 GB")
                .body("errors.field", not(hasItem("pools[0].appliances[0].networkName")));
        invalid(
                virtualBody(cloud, kvm("network", "mgmt", "ssd", "data"), pool),
                "pools[0].appliances[0].targetPool",
                "storage pool 'ssd' is not among its storage pools");
        // a pool QEMU cannot use is refused up front, with the gateway's reason; nothing is created
        String locked = "v-locked-" + UUID.randomUUID().toString().substring(0, 8);
        invalid(
                        virtualBody(locked, cloud, kvm("network", "mgmt", "locked", "data"), pool),
                        "pools[0].appliances[0].targetPool",
                        "pool 'cp', appliance 'api-kvm-1': QEMU could not use it for the nodes' disks: "
                                + Fixtures.LOCKED_POOL)
                .body("errors.field", not(hasItem("pools[0].appliances[0].imagePool")));
        admin(TENANT_A).get("/v1/clusters?size=200").then().statusCode(200).body("items.name", not(hasItem(locked)));
        invalid( // the data pool counts only when the nodes get a data disk
                virtualBody(cloud, kvm("network", "mgmt", "vms", "locked"), pool + ", " + """
                                "dataDiskGb": 10"""),
                "pools[0].appliances[0].dataPool",
                "QEMU could not use it for the nodes' disks: storage pool 'locked'");
        invalid(virtualBody(cloud, """
                                {"uid": "api-kvm-1"}""", pool), "pools[0].appliances[0].networkType", "is required")
                .body("errors.field", hasItem("pools[0].appliances[0].dataPool"));
        invalid(virtualBody(cloud, KVM_OK, sizes(0, 4, 20)), "pools[0].cpu", "at least 1 vCPU");
        invalid(
                virtualBody(cloud, KVM_OK, sizes(12, 4, 20)),
                "pools[0].cpu",
                "the cluster's new node needs 12 vCPUs there, the appliance has 8");
        invalid(virtualBody(cloud, KVM_OK, sizes(2, 32, 20)), "pools[0].memoryGb", "the appliance has 16 GB");
        invalid(
                virtualBody(cloud, KVM_OK, sizes(2, 4, 200)),
                "pools[0].rootDiskGb",
                "the cluster's new disks need 200 GB in storage pool 'vms', it has 100 GB available");
    }

    @Test
    void aClusterNamesPoliciesOfItsTenantWhenItIsCreated() {
        String policy = UUID.randomUUID().toString();
        String othersPolicy = UUID.randomUUID().toString();
        bus.policy(
                TENANT_A,
                new PolicySnapshot(
                        policy, "nightly-scan", PolicyKind.SCAN, null, "UTC", List.of(), null, Instant.now()));
        bus.policy(
                TENANT_B,
                new PolicySnapshot(
                        othersPolicy, "b-scan", PolicyKind.SCAN, null, "UTC", List.of(), null, Instant.now()));
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-6", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        // %%s leaves a %s for the policy ids
        String body = """
                {"name": "with-policies", "profileId": "%s", "pools": [%s], "policyIds": %%s}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-6"));
        invalid(body.formatted(json(List.of("nightly"))), "policyIds[0]", "is not a policy id");
        invalid(
                body.formatted(json(List.of(othersPolicy))),
                "policyIds[0]",
                "no policy '" + othersPolicy + "' in your tenant");
        invalid(body.formatted(json(List.of(policy, policy))), "policyIds", "twice");
        try (TopicReader events = new TopicReader(Topics.CLUSTER_EVENTS)) {
            String id = create(TENANT_A, body.formatted(json(List.of(policy))))
                    .statusCode(201)
                    .body("policyIds", equalTo(List.of(policy)))
                    .extract()
                    .path("id");
            var created = events.await(
                    r -> id.equals(r.key())
                            && EventTypes.CLUSTER_CREATED.equals(r.event().type()),
                    1,
                    Duration.ofSeconds(20));
            assertEquals(
                    List.of(policy),
                    created.get(0).event().dataAs(ClusterSnapshot.class).policyIds());
            admin(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(202);
        }
    }

    @Test
    void anApplianceServesOneClusterAndNamesAreUniquePerTenant() {
        String first = create(TENANT_A, """
                {"name": "taken", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-2")))
                .statusCode(201)
                .extract()
                .path("id");
        invalid(
                """
                {"name": "other", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-2")),
                "pools[0].appliances[0].uid",
                "appliance 'api-vm-2': is used by cluster '" + first + "'");
        create(TENANT_A, """
                {"name": "taken", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL))
                .statusCode(409)
                .contentType(PROBLEM)
                .body("field", equalTo("name"));
        // names are per tenant
        create(TENANT_B, """
                {"name": "taken", "profileId": "%s", "pools": [%s]}
                """.formatted(profileOfB, VM_POOL.replace("api-vm-1", "api-vm-b")))
                .statusCode(201);
        admin(TENANT_A).post("/v1/clusters/" + first + "/abort").then().statusCode(202);
    }

    @Test
    void operationsAreRefusedInTheWrongStateWithAClearProblem() {
        String id = create(TENANT_A, """
                {
                  "name": "stuck",
                  "profileId": "%s",
                  "pools": [%s, {"name": "w", "size": 1, "appliances": [{"uid": "api-vm-3"}]}]
                }
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-3")))
                .statusCode(201)
                .body("status", equalTo("PROVISIONING"))
                .extract()
                .path("id");
        admin(TENANT_A)
                .delete("/v1/clusters/" + id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body(
                        "detail",
                        equalTo(
                                "cluster 'stuck' is PROVISIONING and cannot be deleted; it must be RUNNING (fully provisioned);"
                                        + " abort a cluster being provisioned instead"));
        admin(TENANT_A)
                .post("/v1/clusters/" + id + "/retry")
                .then()
                .statusCode(409)
                .body("detail", containsString("it must be FAILED"));
        admin(TENANT_A)
                .body("""
                        {"size":2}""")
                .put("/v1/clusters/" + id + "/pools/w")
                .then()
                .statusCode(409)
                .body("detail", containsString("cannot be scaled; it must be RUNNING"));
        admin(TENANT_A)
                .body("""
                        {"profileId": "%s"}""".formatted(containerized))
                .put("/v1/clusters/" + id + "/profile")
                .then()
                .statusCode(409);
        admin(TENANT_A)
                .body("{}")
                .put("/v1/clusters/" + id + "/pools/w")
                .then()
                .statusCode(400)
                .body("field", equalTo("size"));
        admin(TENANT_A)
                .body("""
                        {"size":2}""")
                .put("/v1/clusters/" + id + "/pools/Bad_Pool")
                .then()
                .statusCode(400);

        // what the plan and the first commands look like before any gateway answers
        Api.nodes(TENANT_A, id)
                .forEach(n -> assertEquals("MASTER".equals(n.get("role")) ? "CREATING" : "PENDING", n.get("state")));
        assertEquals("create-node", Api.tasks(TENANT_A, id).get(1).get("kind"));

        admin(TENANT_A)
                .post("/v1/clusters/" + id + "/abort")
                .then()
                .statusCode(202)
                .body("status", equalTo("DELETING"));
        admin(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(409);
    }

    @Test
    void tenantsAreIsolatedAndViewersOnlyRead() {
        String id = create(TENANT_A, """
                {"name": "private", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-bm-1")))
                .statusCode(201)
                .extract()
                .path("id");
        viewer(TENANT_B).get("/v1/clusters/" + id).then().statusCode(404).contentType(PROBLEM);
        viewer(TENANT_B).get("/v1/clusters/" + id + "/nodes").then().statusCode(404);
        viewer(TENANT_B).get("/v1/clusters/" + id + "/events").then().statusCode(404);
        admin(TENANT_B).delete("/v1/clusters/" + id).then().statusCode(404);
        admin(TENANT_B).post("/v1/clusters/" + id + "/abort").then().statusCode(404);
        viewer(TENANT_B).get("/v1/clusters").then().statusCode(200).body("items.id", not(hasItem(id)));
        viewer(TENANT_A).get("/v1/clusters").then().statusCode(200).body("items.id", hasItem(id));

        viewer(TENANT_A).get("/v1/clusters/" + id).then().statusCode(200).body("name", equalTo("private"));
        viewer(TENANT_A).body("""
                        {"name":"v"}""").post("/v1/clusters").then().statusCode(403).contentType(PROBLEM);
        viewer(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(403);
        viewer(TENANT_A).delete("/v1/clusters/" + id).then().statusCode(403);
        viewer(TENANT_A)
                .body("""
                        {"size":1}""")
                .put("/v1/clusters/" + id + "/pools/cp")
                .then()
                .statusCode(403);
        given().get("/v1/clusters").then().statusCode(401).contentType(PROBLEM);
        Api.as(TestTokens.token("nobody", null, "viewer"))
                .get("/v1/clusters")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        Api.as(TestTokens.gateway(TENANT_A)).get("/v1/clusters").then().statusCode(403);
        admin(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(202);
    }

    @Test
    void listsArePagedAndFilteredAndBadParametersAre400() {
        String id = create(TENANT_A, """
                {"name": "listed", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-5")))
                .statusCode(201)
                .extract()
                .path("id");
        viewer(TENANT_A)
                .get("/v1/clusters?status=provisioning&page=0&size=1")
                .then()
                .statusCode(200)
                .body("size", equalTo(1))
                .body("items.size()", equalTo(1));
        viewer(TENANT_A)
                .get("/v1/clusters?status=SIDEWAYS")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("status"));
        viewer(TENANT_A).get("/v1/clusters?size=0").then().statusCode(400).body("field", equalTo("size"));
        viewer(TENANT_A) // every bad parameter in one answer
                .get("/v1/clusters?status=SIDEWAYS&page=-1&size=201")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("status", "page", "size"));
        viewer(TENANT_A).get("/v1/clusters/not-an-id").then().statusCode(404).contentType(PROBLEM);
        viewer(TENANT_A)
                .get("/v1/clusters/c00000000")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("detail", equalTo("cluster 'c00000000' does not exist"));
        viewer(TENANT_A)
                .header("Accept", "text/event-stream")
                .get("/v1/clusters/c00000000/events")
                .then()
                .statusCode(404);
        admin(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(202);
    }

    /** Opens a progress stream; the answer's head has come when this returns (the body is read by the caller). */
    private static HttpResponse<InputStream> stream(HttpClient http, String token, String clusterId) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                RestAssured.baseURI + ":" + RestAssured.port + "/v1/clusters/" + clusterId + "/events"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void progressStreamsAreCappedPerUserAndEndWhenTheTokenExpires() throws Exception {
        String id = create(TENANT_A, """
                {"name": "streamed", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-sse-1")))
                .statusCode(201)
                .extract()
                .path("id");
        HttpClient http = HttpClient.newHttpClient();
        String user = TestTokens.viewer(TENANT_A);
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // cluster.streams-per-user: 10
                HttpResponse<InputStream> s = stream(http, user, id);
                assertEquals(200, s.statusCode());
                open.add(s);
            }
            HttpResponse<InputStream> eleventh = stream(http, user, id);
            String body = new String(eleventh.body().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(429, eleventh.statusCode(), body);
            assertTrue(
                    eleventh.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    eleventh.headers().toString());
            assertTrue(
                    body.contains("urn:edgefleet:problem:too-many-streams") && body.contains("10 progress streams"),
                    body);
            // another user is not held back by this one
            HttpResponse<InputStream> admins = stream(http, TestTokens.admin(TENANT_A), id);
            assertEquals(200, admins.statusCode());
            admins.body().close();
            // a stream that ends gives its place back
            open.remove(0).body().close();
            HttpResponse<InputStream> again = Eventually.value(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(200),
                    () -> {
                        try {
                            HttpResponse<InputStream> s = stream(http, user, id);
                            if (s.statusCode() != 200) {
                                s.body().close();
                            }
                            return s;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    s -> s.statusCode() == 200);
            open.add(again);
        } finally {
            for (HttpResponse<InputStream> s : open) {
                s.body().close();
            }
        }

        // a stream ends when its caller's token expires, while the cluster goes on
        String shortLived = TestTokens.expiringIn(Duration.ofSeconds(3), "viewer@" + TENANT_A, TENANT_A, "viewer");
        HttpResponse<InputStream> expiring = stream(http, shortLived, id);
        assertEquals(200, expiring.statusCode());
        long t0 = System.nanoTime();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> all =
                    reader.submit(() -> new String(expiring.body().readAllBytes(), StandardCharsets.UTF_8));
            String events = all.get(20, TimeUnit.SECONDS); // ends by itself: the whole body is read
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(seconds <= 10, "ended " + seconds + " s after the token's 3 s");
            assertTrue(events.contains("event:cluster") || events.contains("event: cluster"), events);
        } finally {
            reader.shutdownNow();
        }
        admin(TENANT_A).post("/v1/clusters/" + id + "/abort").then().statusCode(202);
    }

    @Test
    void aResultCountsOnlyFromTheApplianceAndTenantTheCommandWentTo() {
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-4", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        String id = create(TENANT_A, """
                {"name": "forged", "profileId": "%s", "pools": [%s]}
                """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-4")))
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Object> task = Api.tasks(TENANT_A, id).stream()
                .filter(t -> "create-node".equals(t.get("kind")))
                .findFirst()
                .orElseThrow();
        String commandId = (String) task.get("commandId");
        String nodeId = (String) task.get("nodeId");
        CommandResult success = new CommandResult(
                commandId,
                EventTypes.CREATE_NODE,
                id,
                nodeId,
                CommandResult.Outcome.SUCCEEDED,
                null,
                new NodeStatus(
                        id,
                        "cp",
                        nodeId,
                        NodeState.RUNNING,
                        "forged-ref",
                        "10.0.0.31",
                        commandId,
                        null,
                        Instant.now(),
                        List.of("10.0.0.31", "fd00::31", "192.168.7.31")),
                Instant.now());

        // tenant and appliance of a report are what the edge bridge took from the verified MQTT topic
        report(TENANT_A, "api-vm-1", success); // not the appliance the command went to
        report(TENANT_B, "api-vm-4", success); // another tenant's claim on our command
        Eventually.stays(
                "none of those counted",
                Duration.ofSeconds(2),
                Duration.ofMillis(250),
                () -> "RUNNING"
                        .equals(Api.tasks(TENANT_A, id).stream()
                                .filter(t -> commandId.equals(t.get("commandId")))
                                .findFirst()
                                .orElseThrow()
                                .get("status")));

        report(TENANT_A, "api-vm-4", success); // the real gateway's answer
        Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(20));
        viewer(TENANT_A)
                .get("/v1/clusters/" + id + "/nodes")
                .then()
                .body("[0].ref", equalTo("forged-ref"))
                .body("[0].state", equalTo("RUNNING"))
                // every address the gateway reported (NICs, IPv4 and IPv6), the primary first and as ip too
                .body("[0].ip", equalTo("10.0.0.31"))
                .body("[0].addresses", contains("10.0.0.31", "fd00::31", "192.168.7.31"));
        // the list shows the cluster as the cluster itself does: its running node and its appliance
        Map<String, Object> single = viewer(TENANT_A)
                .get("/v1/clusters/" + id)
                .then()
                .statusCode(200)
                .body("pools[0].runningNodes", equalTo(1))
                .extract()
                .jsonPath()
                .getMap("$");
        Map<String, Object> listed = viewer(TENANT_A)
                .get("/v1/clusters?status=RUNNING&size=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items.find { it.id == '" + id + "' }");
        assertEquals(single, listed);
        admin(TENANT_A).delete("/v1/clusters/" + id).then().statusCode(202).body("status", startsWith("DELETING"));
    }

    @Test
    void aCommandNobodyTakesIsSentAgainUntilItsDeadlineThenFailsSayingItNeverArrived() {
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-7", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        try (TopicReader commands = new TopicReader(Topics.GATEWAY_COMMANDS)) {
            String id = create(TENANT_A, """
                    {"name": "nobody-home", "profileId": "%s", "pools": [%s]}
                    """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-vm-7")))
                    .statusCode(201)
                    .extract()
                    .path("id");
            String commandId = (String) Api.tasks(TENANT_A, id).stream()
                    .filter(t -> "create-node".equals(t.get("kind")))
                    .findFirst()
                    .orElseThrow()
                    .get("commandId");
            Predicate<TopicReader.Received> ours = r -> "api-vm-7".equals(r.key())
                    && commandId.equals(r.event().dataAs(NodeCommand.class).commandId());

            // no gateway answers: the same command (same commandId, same deadline) goes out again
            var sends = commands.await(ours, 2, Duration.ofSeconds(20));
            assertTrue(sends.size() >= 2, "sent again while its gateway is silent: " + sends.size());
            Instant deadline = sends.get(0).event().expiresAt();
            assertTrue(
                    deadline != null && deadline.isAfter(sends.get(0).event().time()),
                    "every send carries the deadline");
            sends.forEach(r -> assertEquals(deadline, r.event().expiresAt()));
            // and stays in the trace it was first sent in (the REST call's), not a new one per resend
            String traceId = sends.get(0).event().trace().traceId();
            sends.forEach(r -> assertEquals(traceId, r.event().trace().traceId(), "every send in one trace"));

            // past the deadline (the command timeout) the cluster fails, saying the command never arrived
            Api.awaitStatus(TENANT_A, id, "FAILED", Duration.ofSeconds(40));
            String message = (String) Api.tasks(TENANT_A, id).stream()
                    .filter(t -> commandId.equals(t.get("commandId")))
                    .findFirst()
                    .orElseThrow()
                    .get("message");
            assertTrue(message.contains("never took") && message.contains("expired undelivered"), message);
            int sent = commands.settle(ours, Duration.ofSeconds(5)).size();
            assertEquals(
                    sent, commands.settle(ours, Duration.ofSeconds(5)).size(), "nothing is sent after the deadline");
            assertTrue(
                    commands.all(ours).stream().allMatch(r -> !r.event().time().isAfter(deadline)),
                    "no send after the deadline");
        }
    }

    @Test
    void aPollOfReportsIsAppliedAroundABadOneWhichAloneIsDeadLetteredAndChangesNothing() {
        for (String uid : List.of("api-batch-1", "api-batch-2")) {
            bus.appliance(
                    TENANT_A,
                    Fixtures.appliance(uid, ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        }
        try (TopicReader letters = new TopicReader(Topics.DEAD_LETTERS)) {
            String good = create(TENANT_A, """
                    {"name": "batch-good", "profileId": "%s", "pools": [%s]}
                    """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-batch-1")))
                    .statusCode(201)
                    .extract()
                    .path("id");
            String refused = create(TENANT_A, """
                    {"name": "batch-refused", "profileId": "%s", "pools": [%s]}
                    """.formatted(containerized, VM_POOL.replace("api-vm-1", "api-batch-2")))
                    .statusCode(201)
                    .extract()
                    .path("id");
            Map<String, Object> goodTask = createTask(good);
            Map<String, Object> refusedTask = createTask(refused);
            String goodCommand = (String) goodTask.get("commandId");
            String goodNode = (String) goodTask.get("nodeId");
            String refusedCommand = (String) refusedTask.get("commandId");
            Instant now = Instant.now();

            // as the gateways would send them, back to back (one poll, as a rule): the first words and the result of
            // one command, a result without its commandId (malformed), progress whose text PostgreSQL never stores
            report(
                    TENANT_A,
                    "api-batch-1",
                    EventTypes.COMMAND_PROGRESS,
                    new CommandProgress(
                            goodCommand,
                            EventTypes.CREATE_NODE,
                            good,
                            goodNode,
                            "accepted",
                            "queued on the gateway",
                            now));
            report(
                    TENANT_A,
                    "api-batch-1",
                    EventTypes.COMMAND_PROGRESS,
                    new CommandProgress(
                            goodCommand, EventTypes.CREATE_NODE, good, goodNode, "started", "running", now));
            report(TENANT_A, "api-batch-2", EventTypes.COMMAND_COMPLETED, Map.of("clusterId", refused));
            report(
                    TENANT_A,
                    "api-batch-2",
                    EventTypes.COMMAND_PROGRESS,
                    new CommandProgress(
                            refusedCommand,
                            EventTypes.CREATE_NODE,
                            refused,
                            refusedTask.get("nodeId").toString(),
                            "booting",
                            "nul\u0000console",
                            now));
            report(
                    TENANT_A,
                    "api-batch-1",
                    EventTypes.COMMAND_COMPLETED,
                    new CommandResult(
                            goodCommand,
                            EventTypes.CREATE_NODE,
                            good,
                            goodNode,
                            CommandResult.Outcome.SUCCEEDED,
                            null,
                            new NodeStatus(
                                    good,
                                    null,
                                    goodNode,
                                    NodeState.RUNNING,
                                    "ref-" + goodNode,
                                    null,
                                    goodCommand,
                                    null,
                                    now),
                            now));

            // the good result is applied: the master runs, and the workers are decided
            Eventually.holds(
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200),
                    () -> "SUCCEEDED".equals(task(good, goodCommand).get("status")));
            // the two bad ones, and only they, are dead-lettered by this consumer
            var lettered = letters.await(r -> "api-batch-2".equals(r.key()), 2, Duration.ofSeconds(30));
            assertEquals(2, lettered.size(), "the malformed and the refused report: " + lettered);
            assertEquals(
                    0,
                    letters.settle(r -> "api-batch-1".equals(r.key()), Duration.ofSeconds(2))
                            .size(),
                    "nothing of the good command is dead-lettered");
            // the refused progress changed nothing: the task still runs, with its own message
            Map<String, Object> still = task(refused, refusedCommand);
            assertEquals("RUNNING", still.get("status"));
            assertTrue(
                    still.get("message") == null
                            || !still.get("message").toString().contains("console"),
                    String.valueOf(still.get("message")));
        }
    }

    private static Map<String, Object> createTask(String clusterId) {
        return Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> "create-node".equals(t.get("kind")))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> task(String clusterId, String commandId) {
        return Api.tasks(TENANT_A, clusterId).stream()
                .filter(t -> commandId.equals(t.get("commandId")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aVirtualizedProfileOnADockerApplianceIsRefusedNamingBothKinds() {
        // a containerized-style body (no vCPUs, no libvirt placement) with the virtualized profile: the kinds lead
        create(TENANT_A, """
                {"name": "wrong-kind", "profileId": "%s", "cloudConfig": {"virtualIp": "10.10.0.9"}, "pools": [%s]}
                """.formatted(virtualized, VM_POOL))
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("pools[0].appliances[0].uid"))
                .body(
                        "errors[0].message",
                        equalTo("pool 'cp', appliance 'api-vm-1': is a VM appliance: it runs containerized nodes "
                                + "(Docker containers); profile 'edge-virtualized' is virtualized and needs BARE_METAL_LIBVIRT appliances "
                                + "(bare metal with libvirt)"))
                .body(
                        "detail",
                        startsWith("pools[0].appliances[0].uid: pool 'cp', appliance 'api-vm-1': is a VM appliance"));
    }

    @Test
    void podAndServiceCidrsAreCheckedAgainstEachOtherAndTheAppliancesNetwork() {
        // %%s leaves a %s for the values
        String body = """
                {"name": "cidrs", "profileId": "%s", "packValues": {"kubernetes": "%%s"}, "pools": [%s]}
                """.formatted(containerized, VM_POOL);
        invalid(
                body.formatted("pack:\\n  serviceCIDR: 192.168.128.0/20\\n"),
                "packValues.kubernetes.pack.serviceCIDR",
                "the service CIDR 192.168.128.0/20 overlaps the pod CIDR 192.168.0.0/16 (packValues.kubernetes.pack.podCIDR); "
                        + "pods and services need separate ranges");
        invalid(
                body.formatted("pack:\\n  podCIDR: 10.0.0.0/16\\n"),
                "packValues.kubernetes.pack.podCIDR",
                "the pod CIDR 10.0.0.0/16 contains 10.0.0.7, the address of appliance 'api-vm-1'");
        invalid(
                body.formatted("pack:\\n  serviceCIDR: 10.0.0.0/24\\n"),
                "packValues.kubernetes.pack.serviceCIDR",
                "the service CIDR 10.0.0.0/24 contains 10.0.0.7, the address of appliance 'api-vm-1'");
        invalid(
                body.formatted("pack:\\n  podCIDR: 172.16.0.1/16\\n"),
                "packValues.kubernetes.pack.podCIDR",
                "has host bits set");
        invalid(
                body.formatted("pack:\\n  podCIDR: everywhere\\n"),
                "packValues.kubernetes.pack.podCIDR",
                "is not a CIDR range");
    }

    @Test
    void aPoolGrowsOnlyIntoWhatItsApplianceHasLeftBesidesTheNodesAlreadyThere() {
        bus.appliance(
                TENANT_A,
                Fixtures.appliance("api-vm-8", ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        String id = create(TENANT_A, """
                {
                  "name": "grows",
                  "profileId": "%s",
                  "pools": [
                    {"name": "cp", "master": true, "size": 1, "memoryGb": 2, "appliances": [{"uid": "api-vm-8"}]},
                    {"name": "w", "size": 1, "memoryGb": 2, "appliances": [{"uid": "api-vm-8"}]}
                  ]
                }
                """.formatted(containerized))
                .statusCode(201)
                .extract()
                .path("id");
        completeCreates(id, "api-vm-8");
        // 2 nodes of 2 GB run on the 8 GB appliance: 3 more workers would need 6 GB, 4 GB are left
        admin(TENANT_A)
                .body("""
                        {"size":4}""")
                .put("/v1/clusters/" + id + "/pools/w")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("field", equalTo("pools[1].memoryGb"))
                .body(
                        "errors[0].message",
                        equalTo(
                                "pool 'w', appliance 'api-vm-8': the cluster's 3 new nodes need 6 GB of memory "
                                        + "there, the appliance has 8 GB, of which 2 nodes already there use 4 GB (4 GB free)"));
        admin(TENANT_A)
                .body("""
                        {"size":3}""")
                .put("/v1/clusters/" + id + "/pools/w")
                .then()
                .statusCode(202)
                .body("status", equalTo("UPDATING"));
    }

    /** Answers every create-node command of the cluster as its gateway would, until the cluster is RUNNING. */
    private void completeCreates(String id, String uid) {
        Set<String> answered = new HashSet<>();
        Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            if ("RUNNING".equals(Api.status(TENANT_A, id))) {
                return true;
            }
            for (Map<String, Object> t : Api.tasks(TENANT_A, id)) {
                String commandId = (String) t.get("commandId");
                if ("create-node".equals(t.get("kind"))
                        && "RUNNING".equals(t.get("status"))
                        && answered.add(commandId)) {
                    String nodeId = (String) t.get("nodeId");
                    String pool = (String) Api.nodes(TENANT_A, id).stream()
                            .filter(n -> nodeId.equals(n.get("nodeId")))
                            .findFirst()
                            .orElseThrow()
                            .get("pool");
                    report(
                            TENANT_A,
                            uid,
                            new CommandResult(
                                    commandId,
                                    EventTypes.CREATE_NODE,
                                    id,
                                    nodeId,
                                    CommandResult.Outcome.SUCCEEDED,
                                    null,
                                    new NodeStatus(
                                            id,
                                            pool,
                                            nodeId,
                                            NodeState.RUNNING,
                                            "ref-" + nodeId,
                                            null,
                                            commandId,
                                            null,
                                            Instant.now()),
                                    Instant.now()));
                }
            }
            return false;
        });
        Api.awaitStatus(TENANT_A, id, "RUNNING", Duration.ofSeconds(5));
    }

    private void report(String tenant, String uid, CommandResult result) {
        report(tenant, uid, EventTypes.COMMAND_COMPLETED, result);
    }

    /** A report as the edge bridge relays it: keyed and subject by the appliance uid. */
    private void report(String tenant, String uid, String type, Object payload) {
        CloudEvent event = new CloudEvent(
                UUID.randomUUID().toString(),
                "/edgefleet/edge-gateway",
                type,
                uid,
                tenant,
                Instant.now(),
                EventJson.write(payload));
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, uid, event);
        bus.send(record);
    }
}
