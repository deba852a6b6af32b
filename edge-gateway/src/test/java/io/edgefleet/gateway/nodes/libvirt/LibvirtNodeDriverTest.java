package io.edgefleet.gateway.nodes.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tasks.NodeTasks;
import io.edgefleet.gateway.tasks.TaskFailedException;
import io.edgefleet.gateway.tasks.TaskProgress;
import io.edgefleet.testsupport.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.w3c.dom.Document;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static io.edgefleet.gateway.nodes.libvirt.TestSpecs.count;
import static io.edgefleet.gateway.nodes.libvirt.TestSpecs.spec;
import static io.edgefleet.gateway.nodes.libvirt.TestSpecs.xpath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The driver against libvirt's test driver (in process, no daemon): a host declared by
 * {@code src/test/resources/libvirt/testnode.xml} with networks default and mgmt and dir pools images
 * (base volume debian-12-base.qcow2), vms and data. Every connection to that URI gets a fresh copy of
 * the host, so each test has its own driver and looks at libvirt through the driver's connection.
 */
class LibvirtNodeDriverTest {

    static final String TENANT = "tenant-a";
    static final ObjectMapper JSON = new ObjectMapper();

    LibvirtNodeDriver driver;
    Connect conn;

    static String testUri() {
        try {
            return "test://"
                    + Path.of(LibvirtNodeDriverTest.class
                                    .getResource("/libvirt/testnode.xml")
                                    .toURI())
                            .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void open() throws NodeDriverException {
        driver = new LibvirtNodeDriver(
                testUri(), TENANT, new LibvirtNodeDriver.Options(Duration.ofSeconds(2), null, null));
        conn = driver.connection();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    // ---------------------------------------------------------------------------------------------- policy tasks

    @Test
    void tasksInAVirtualizedNodeWithoutAGuestAgentFailWithTheReason(@TempDir Path home) throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        try (LocalStore store = new LocalStore(home)) {
            NodeTasks tasks = new NodeTasks(driver, store, UnaryOperator.identity(), home.resolve("tasks"));
            NodeTask patch = new NodeTask("p1", "c1", "n1", null, null, null, new NodeTask.Patch("true", false, 0));
            var e = assertThrows(
                    TaskFailedException.class, () -> tasks.run(EventTypes.PATCH_NODE, patch, TaskProgress.NONE));
            // the test driver has no guest agent to talk to (GuestAgentTasksTest runs the tasks in a real VM)
            assertTrue(
                    e.getMessage().startsWith("could not run the patch command: guest-exec in node "), e.getMessage());
            assertTrue(
                    e.getMessage().contains("must run qemu-ga on the virtio port org.qemu.guest_agent.0"),
                    e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- create

    @Test
    void createDefinesAndStartsADomainWithDisksNetworkMetadataAndBootstrap() throws Exception {
        TestSpecs.Spec s = spec("c1", "n1");
        s.cpuSet = "0-3,6";
        s.role = NodeRole.MASTER;
        s.hostname = "n1.store-42.example";
        NodeStatus status = driver.create(s.build(), "cmd-1");

        assertEquals(NodeState.RUNNING, status.state());
        assertEquals("c1", status.clusterId());
        assertEquals("workers", status.poolName());
        assertEquals("n1", status.nodeId());
        assertEquals("cmd-1", status.commandId());
        assertEquals("test", driver.domainType());

        Domain d = conn.domainLookupByName("ef-c1-n1");
        assertEquals(d.getUUIDString(), status.ref());
        assertEquals(1, d.isActive());
        Document xml = Xml.parse(d.getXMLDesc(0));
        assertEquals("test", xpath(xml, "/domain/@type"));
        assertEquals("2", xpath(xml, "/domain/vcpu"));
        assertEquals("0-3,6", xpath(xml, "/domain/vcpu/@cpuset"));
        assertEquals(2048L * 1024, Long.parseLong(xpath(xml, "/domain/memory")));
        assertEquals("KiB", xpath(xml, "/domain/memory/@unit"));
        // root disk in the target pool, data disk in the data pool
        assertEquals(2, count(xml, "/domain/devices/disk"));
        assertEquals("vms", xpath(xml, "/domain/devices/disk[target/@dev='vda']/source/@pool"));
        assertEquals("ef-c1-n1-root", xpath(xml, "/domain/devices/disk[target/@dev='vda']/source/@volume"));
        assertEquals("qcow2", xpath(xml, "/domain/devices/disk[target/@dev='vda']/driver/@type"));
        assertEquals("data", xpath(xml, "/domain/devices/disk[target/@dev='vdb']/source/@pool"));
        assertEquals("ef-c1-n1-data", xpath(xml, "/domain/devices/disk[target/@dev='vdb']/source/@volume"));
        // one virtio interface on the named network
        assertEquals(1, count(xml, "/domain/devices/interface"));
        assertEquals("network", xpath(xml, "/domain/devices/interface/@type"));
        assertEquals("mgmt", xpath(xml, "/domain/devices/interface/source/@network"));
        assertEquals("virtio", xpath(xml, "/domain/devices/interface/model/@type"));
        assertEquals(
                "virtio",
                xpath(xml, "/domain/devices/channel[target/@name='org.qemu.guest_agent.0']/target/@type"),
                "the port of the guest agent, the gateway's way into the node");

        // metadata: what makes the domain ours, and what delete needs
        NodeMetadata meta = NodeMetadata.fromDomainXml(d.getXMLDesc(0)).orElseThrow();
        assertEquals(TENANT, meta.tenant());
        assertEquals("c1", meta.clusterId());
        assertEquals("workers", meta.poolName());
        assertEquals("n1", meta.nodeId());
        assertEquals("cmd-1", meta.commandId());
        assertEquals(NodeRole.MASTER, meta.role());
        assertEquals("n1.store-42.example", meta.hostname());
        assertEquals(new NodeMetadata.VolumeRef("vms", "ef-c1-n1-root"), meta.root());
        assertEquals(new NodeMetadata.VolumeRef("data", "ef-c1-n1-data"), meta.data());
        assertEquals(Map.of("site", "store-42"), meta.labels());

        // bootstrap: in a fw_cfg entry for the guest only; the metadata keeps its hash, none of its secrets
        assertEquals("fwcfg", xpath(xml, "/domain/sysinfo/@type"));
        assertEquals(Bootstrap.FW_CFG_NAME, xpath(xml, "/domain/sysinfo/entry/@name"));
        String fwcfg =
                new String(Base64.getDecoder().decode(xpath(xml, "/domain/sysinfo/entry")), StandardCharsets.UTF_8);
        assertEquals(NodeReadiness.sha256(fwcfg), meta.bootstrapSha256());
        String metadata = xpath(xml, "/domain/metadata");
        assertFalse(metadata.contains(s.keys.get(0)), metadata);
        assertFalse(metadata.contains("sshAuthorizedKeys"), metadata);
        JsonNode boot = JSON.readTree(fwcfg);
        assertEquals("n1.store-42.example", boot.get("hostname").asText());
        assertEquals("MASTER", boot.get("role").asText());
        assertEquals(s.keys.get(0), boot.get("sshAuthorizedKeys").get(0).asText());
        assertEquals(
                "http://proxy.local:3128", boot.get("env").get("HTTPS_PROXY").asText());
        assertEquals(
                "/etc/edgefleet/join.yaml", boot.get("files").get(0).get("path").asText());
        assertEquals(
                "token: abc\nserver: https://10.0.0.1:6443\n",
                boot.get("files").get(0).get("content").asText());
        assertEquals("0600", boot.get("files").get(0).get("permissions").asText());

        // volumes: the root disk lives in the target pool with the requested size
        StorageVol root = conn.storagePoolLookupByName("vms").storageVolLookupByName("ef-c1-n1-root");
        assertEquals(12L << 30, root.getInfo().capacity);
        // the test driver cannot clone across pools: the root volume is an overlay on the base image
        Document rootXml = Xml.parse(root.getXMLDesc(0));
        assertEquals("/var/lib/libvirt/images/debian-12-base.qcow2", xpath(rootXml, "/volume/backingStore/path"));
        StorageVol data = conn.storagePoolLookupByName("data").storageVolLookupByName("ef-c1-n1-data");
        assertEquals(10L << 30, data.getInfo().capacity);
        assertEquals(List.of("debian-12-base.qcow2"), volumes("images"), "the base image is untouched");
    }

    @Test
    void noDataDiskWhenDataDiskGbIsZero() throws Exception {
        TestSpecs.Spec s = spec("c1", "n1");
        s.dataDiskGb = 0;
        s.dataPool = null;
        driver.create(s.build(), "cmd-1");
        Document xml = Xml.parse(conn.domainLookupByName("ef-c1-n1").getXMLDesc(0));
        assertEquals(1, count(xml, "/domain/devices/disk"));
        assertEquals(List.of(), volumes("data"));
        assertNull(NodeMetadata.fromDomainXml(Xml.serialize(xml)).orElseThrow().data());
    }

    @Test
    void cpuModeOnlyWhenAsked() throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        assertEquals(0, count(Xml.parse(conn.domainLookupByName("ef-c1-n1").getXMLDesc(0)), "/domain/cpu"));
        try (LibvirtNodeDriver passthrough = new LibvirtNodeDriver(
                testUri(), TENANT, new LibvirtNodeDriver.Options(null, null, "host-passthrough"))) {
            passthrough.create(spec("c1", "n1").build(), "cmd-1");
            Document xml = Xml.parse(
                    passthrough.connection().domainLookupByName("ef-c1-n1").getXMLDesc(0));
            assertEquals("host-passthrough", xpath(xml, "/domain/cpu/@mode"));
        }
        assertThrows(IllegalArgumentException.class, () -> new LibvirtNodeDriver.Options(null, null, "custom'/>"));
    }

    @Test
    void bridgeInterface() throws Exception {
        TestSpecs.Spec s = spec("c1", "n1");
        s.networkType = "bridge";
        s.networkName = "br0";
        driver.create(s.build(), "cmd-1");
        Document xml = Xml.parse(conn.domainLookupByName("ef-c1-n1").getXMLDesc(0));
        assertEquals(1, count(xml, "/domain/devices/interface"));
        assertEquals("bridge", xpath(xml, "/domain/devices/interface/@type"));
        assertEquals("br0", xpath(xml, "/domain/devices/interface/source/@bridge"));
        assertEquals("virtio", xpath(xml, "/domain/devices/interface/model/@type"));
    }

    @Test
    void createTwiceAdoptsTheDomainAndMakesNoSecondSetOfVolumes() throws Exception {
        NodeStatus first = driver.create(spec("c1", "n1").build(), "cmd-1");
        NodeStatus second = driver.create(spec("c1", "n1").build(), "cmd-2");
        assertEquals(first.ref(), second.ref());
        assertEquals(NodeState.RUNNING, second.state());
        assertEquals("cmd-1", second.commandId(), "the node stays the one the first command created");
        assertEquals(List.of("ef-c1-n1"), domainNames());
        assertEquals(List.of("ef-c1-n1-root"), volumes("vms"));
        assertEquals(List.of("ef-c1-n1-data"), volumes("data"));

        // stopped meanwhile (e.g. by hand): adopting starts it, still nothing new
        conn.domainLookupByName("ef-c1-n1").destroy();
        NodeStatus third = driver.create(spec("c1", "n1").build(), "cmd-3");
        assertEquals(NodeState.RUNNING, third.state());
        assertEquals(first.ref(), third.ref());
        assertEquals(List.of("ef-c1-n1"), domainNames());
        assertEquals(List.of("ef-c1-n1-root"), volumes("vms"));
        assertEquals(List.of("ef-c1-n1-data"), volumes("data"));
    }

    @Test
    void volumesLeftByACrashBeforeTheDomainWasDefinedAreReused() throws Exception {
        // what a gateway that died between volume creation and domain definition leaves behind
        conn.storagePoolLookupByName("vms")
                .storageVolCreateXML(DomainXml.volume("ef-c1-n1-root", 12L << 30, "qcow2", null, null), 0);
        conn.storagePoolLookupByName("data")
                .storageVolCreateXML(DomainXml.volume("ef-c1-n1-data", 10L << 30, "raw", null, null), 0);

        driver.create(spec("c1", "n1").build(), "cmd-1");
        assertEquals(List.of("ef-c1-n1-root"), volumes("vms"));
        assertEquals(List.of("ef-c1-n1-data"), volumes("data"));
        Document xml = Xml.parse(conn.domainLookupByName("ef-c1-n1").getXMLDesc(0));
        assertEquals("ef-c1-n1-root", xpath(xml, "/domain/devices/disk[target/@dev='vda']/source/@volume"));
        assertEquals("ef-c1-n1-data", xpath(xml, "/domain/devices/disk[target/@dev='vdb']/source/@volume"));
    }

    @Test
    void aForeignDomainWithTheNodesNameIsRefusedAndLeftUntouched() throws Exception {
        Domain foreign = conn.domainDefineXML("<domain type='test'><name>ef-c1-n1</name><memory unit='MiB'>256</memory>"
                + "<os><type>hvm</type></os></domain>");
        String before = foreign.getXMLDesc(0);

        NodeDriverException e = assertThrows(
                NodeDriverException.class, () -> driver.create(spec("c1", "n1").build(), "cmd-1"));
        assertTrue(e.getMessage().contains("did not create"), e.getMessage());
        assertThrows(NodeDriverException.class, () -> driver.start("c1", "n1"));
        assertThrows(NodeDriverException.class, () -> driver.stop("c1", "n1"));
        assertThrows(NodeDriverException.class, () -> driver.delete("c1", "n1"));
        assertEquals(Optional.empty(), driver.inspect("c1", "n1"));
        driver.cleanupCluster("c1");

        Domain after = conn.domainLookupByName("ef-c1-n1");
        assertEquals(before, after.getXMLDesc(0));
        assertEquals(0, after.isActive());
        assertEquals(List.of(), volumes("vms"), "no volume was created for it");
        assertEquals(List.of(), volumes("data"));
        assertEquals(List.of(), driver.list());
    }

    @Test
    void aManagedDomainOfAnotherNodeWithTheSameNameIsRefused() throws Exception {
        // cluster "a" node "b-x" and cluster "a-b" node "x" share the domain name ef-a-b-x
        driver.create(spec("a-b", "x").build(), "cmd-1");
        NodeDriverException e = assertThrows(
                NodeDriverException.class, () -> driver.create(spec("a", "b-x").build(), "cmd-2"));
        assertTrue(e.getMessage().contains("belongs to node x of cluster a-b"), e.getMessage());
        assertThrows(NodeDriverException.class, () -> driver.delete("a", "b-x"));
        assertEquals(List.of("ef-a-b-x"), domainNames());
        assertEquals(1, conn.domainLookupByName("ef-a-b-x").isActive());
        assertEquals(List.of("ef-a-b-x-root"), volumes("vms"));
    }

    @Test
    void missingPoolsBaseImageOrNetworkFailBeforeAnythingIsCreated() throws Exception {
        TestSpecs.Spec noPool = spec("c1", "n1");
        noPool.targetPool = "nope";
        assertTrue(assertThrows(NodeDriverException.class, () -> driver.create(noPool.build(), "c"))
                .getMessage()
                .contains("storage pool 'nope' does not exist"));
        TestSpecs.Spec noImage = spec("c1", "n1");
        noImage.image = "missing.qcow2";
        assertTrue(assertThrows(NodeDriverException.class, () -> driver.create(noImage.build(), "c"))
                .getMessage()
                .contains("base image volume 'missing.qcow2' not found"));
        TestSpecs.Spec noNetwork = spec("c1", "n1");
        noNetwork.networkName = "nope";
        assertTrue(assertThrows(NodeDriverException.class, () -> driver.create(noNetwork.build(), "c"))
                .getMessage()
                .contains("network 'nope' does not exist"));
        TestSpecs.Spec tooSmall = spec("c1", "n1");
        tooSmall.rootDiskGb = 5; // base image is 10 GiB
        assertTrue(assertThrows(NodeDriverException.class, () -> driver.create(tooSmall.build(), "c"))
                .getMessage()
                .contains("smaller than the base image"));
        TestSpecs.Spec noSuchCpu = spec("c1", "n1");
        noSuchCpu.cpuSet = "0-3,16"; // the test host has 16 CPUs: 0-15
        assertTrue(assertThrows(NodeDriverException.class, () -> driver.create(noSuchCpu.build(), "c"))
                .getMessage()
                .contains("names CPUs this host does not have"));
        assertNothingCreated();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void stopAndStart() throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        assertTrue(conn.domainLookupByName("ef-c1-n1").getAutostart(), "comes back when the host boots");
        NodeStatus stopped = driver.stop("c1", "n1");
        assertEquals(NodeState.STOPPED, stopped.state());
        assertEquals(0, conn.domainLookupByName("ef-c1-n1").isActive());
        assertFalse(conn.domainLookupByName("ef-c1-n1").getAutostart(), "stopped on purpose: stays stopped");
        assertEquals(NodeState.STOPPED, driver.stop("c1", "n1").state(), "stopping a stopped node is fine");
        assertEquals(NodeState.STOPPED, driver.inspect("c1", "n1").orElseThrow().state());

        NodeStatus started = driver.start("c1", "n1");
        assertEquals(NodeState.RUNNING, started.state());
        assertEquals(1, conn.domainLookupByName("ef-c1-n1").isActive());
        assertTrue(conn.domainLookupByName("ef-c1-n1").getAutostart());
        assertEquals(NodeState.RUNNING, driver.start("c1", "n1").state(), "starting a running node is fine");

        assertThrows(NodeDriverException.class, () -> driver.start("c1", "nope"));
        assertThrows(NodeDriverException.class, () -> driver.stop("c1", "nope"));
    }

    @Test
    void inspect() throws Exception {
        assertEquals(Optional.empty(), driver.inspect("c1", "n1"));
        NodeStatus created = driver.create(spec("c1", "n1").build(), "cmd-1");
        NodeStatus seen = driver.inspect("c1", "n1").orElseThrow();
        assertEquals(created.ref(), seen.ref());
        assertEquals(NodeState.RUNNING, seen.state());
        assertEquals("cmd-1", seen.commandId());
        assertEquals("workers", seen.poolName());
    }

    @Test
    void deleteRemovesTheDomainAndBothVolumes() throws Exception {
        NodeStatus created = driver.create(spec("c1", "n1").build(), "cmd-1");
        NodeStatus deleted = driver.delete("c1", "n1");
        assertEquals(NodeState.DELETED, deleted.state());
        assertEquals(created.ref(), deleted.ref());
        assertEquals(List.of(), domainNames());
        assertEquals(List.of(), volumes("vms"));
        assertEquals(List.of(), volumes("data"));
        assertEquals(List.of("debian-12-base.qcow2"), volumes("images"), "the base image stays");

        NodeStatus again = driver.delete("c1", "n1");
        assertEquals(NodeState.DELETED, again.state());
        assertEquals(NodeState.DELETED, driver.delete("c1", "never-existed").state());
    }

    @Test
    void deleteOfAStoppedNode() throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        driver.stop("c1", "n1");
        assertEquals(NodeState.DELETED, driver.delete("c1", "n1").state());
        assertNothingCreated();
    }

    @Test
    void listShowsOnlyManagedDomainsOfThisTenant() throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        driver.create(spec("c1", "n2").build(), "cmd-2");
        driver.stop("c1", "n2");
        conn.domainDefineXML("<domain type='test'><name>someone-elses-vm</name><memory unit='MiB'>256</memory>"
                        + "<os><type>hvm</type></os></domain>")
                .create();
        conn.domainDefineXML("<domain type='test'><name>other-tenant</name><metadata>"
                + "<ef:node xmlns:ef='urn:edgefleet:node:1'><ef:tenant>tenant-b</ef:tenant><ef:cluster>c1</ef:cluster>"
                + "<ef:node>n9</ef:node></ef:node></metadata><memory unit='MiB'>256</memory>"
                + "<os><type>hvm</type></os></domain>");

        List<NodeStatus> nodes = new ArrayList<>(driver.list());
        nodes.sort((a, b) -> a.nodeId().compareTo(b.nodeId()));
        assertEquals(2, nodes.size(), nodes.toString());
        assertEquals("n1", nodes.get(0).nodeId());
        assertEquals(NodeState.RUNNING, nodes.get(0).state());
        assertEquals("cmd-1", nodes.get(0).commandId());
        assertEquals(
                conn.domainLookupByName("ef-c1-n1").getUUIDString(),
                nodes.get(0).ref());
        assertEquals("n2", nodes.get(1).nodeId());
        assertEquals(NodeState.STOPPED, nodes.get(1).state());
        assertEquals("c1", nodes.get(1).clusterId());
        assertEquals("workers", nodes.get(1).poolName());
    }

    @Test
    void cleanupClusterDeletesEveryNodeOfThatClusterOnly() throws Exception {
        driver.create(spec("c1", "n1").build(), "cmd-1");
        driver.create(spec("c1", "n2").build(), "cmd-2");
        driver.stop("c1", "n2");
        driver.create(spec("c2", "n1").build(), "cmd-3");

        driver.cleanupCluster("c1");
        assertEquals(List.of("ef-c2-n1"), domainNames());
        assertEquals(List.of("ef-c2-n1-root"), volumes("vms"));
        assertEquals(List.of("ef-c2-n1-data"), volumes("data"));
        driver.cleanupCluster("c1"); // nothing left: fine
        driver.cleanupCluster("c3");
        assertEquals(List.of("ef-c2-n1"), domainNames());
    }

    @Test
    void watchReportsLifecycleChangesOfManagedNodesOnly() throws Exception {
        BlockingQueue<NodeStatus> events = new LinkedBlockingQueue<>();
        driver.watch(events::add);

        NodeStatus created = driver.create(spec("c1", "n1").build(), "cmd-1");
        NodeStatus running = next(events, s -> s.state() == NodeState.RUNNING);
        assertEquals("n1", running.nodeId());
        assertEquals(created.ref(), running.ref());

        conn.domainLookupByName("ef-c1-n1").destroy(); // by hand, outside any command
        NodeStatus stopped = next(events, s -> s.state() == NodeState.STOPPED);
        assertEquals("c1", stopped.clusterId());

        Domain foreign = conn.domainDefineXML("<domain type='test'><name>not-ours</name><memory unit='MiB'>256</memory>"
                + "<os><type>hvm</type></os></domain>");
        foreign.create();
        foreign.destroy();
        foreign.undefine();

        conn.domainLookupByName("ef-c1-n1").undefine(); // removed by hand
        NodeStatus gone = next(events, s -> s.state() == NodeState.DELETED);
        assertEquals("n1", gone.nodeId());
        assertEquals("cmd-1", gone.commandId());
        assertEquals(created.ref(), gone.ref());

        // and deletions through the driver
        NodeStatus n2 = driver.create(spec("c1", "n2").build(), "cmd-2");
        assertEquals(
                n2.ref(),
                next(events, s -> s.state() == NodeState.RUNNING && s.nodeId().equals("n2"))
                        .ref());
        driver.delete("c1", "n2");
        NodeStatus n2gone =
                next(events, s -> s.state() == NodeState.DELETED && s.nodeId().equals("n2"));
        assertEquals("n2", n2gone.nodeId());
        assertEquals(n2.ref(), n2gone.ref());

        Eventually.stays(
                "only managed nodes are reported",
                Duration.ofMillis(300),
                Duration.ofMillis(50),
                () -> events.stream().allMatch(s -> Set.of("n1", "n2").contains(s.nodeId())));
    }

    @Test
    void closeEndsTheDriver() throws Exception {
        driver.watch(s -> {});
        driver.close();
        assertThrows(
                NodeDriverException.class, () -> driver.create(spec("c1", "n1").build(), "cmd-1"));
        assertThrows(NodeDriverException.class, () -> driver.list());
        driver.close(); // twice is fine
        assertFalse(EventLoop.running(), "the last driver stops libvirt's event loop");
        // drivers opened and closed in quick succession leave no event loop behind
        for (int i = 0; i < 20; i++) {
            new LibvirtNodeDriver(testUri(), TENANT).close();
        }
        assertFalse(EventLoop.running());
        assertEquals(0, eventLoopThreads());
        // and the process can open a new one afterwards (event loop restarts)
        try (LibvirtNodeDriver again = new LibvirtNodeDriver(testUri(), TENANT)) {
            BlockingQueue<NodeStatus> events = new LinkedBlockingQueue<>();
            again.watch(events::add);
            again.create(spec("c1", "n1").build(), "cmd-1");
            assertNotNull(next(events, s -> s.state() == NodeState.RUNNING));
            assertTrue(EventLoop.running());
            assertEquals(1, eventLoopThreads());
        }
        assertEquals(0, eventLoopThreads());
    }

    private static long eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("libvirt-event-loop") && t.isAlive())
                .count();
    }

    // ----------------------------------------------------------------------------------- hostile input

    @Test
    void aHostileNetworkNameIsRejectedBeforeAnythingIsCreated() throws Exception {
        TestSpecs.Spec s = spec("c1", "n1");
        s.networkName = "default'/><interface type='bridge'><source bridge='br0'/></interface><x a='";
        NodeDriverException e = assertThrows(NodeDriverException.class, () -> driver.create(s.build(), "cmd-1"));
        assertTrue(e.getMessage().contains("network name"), e.getMessage());
        assertNothingCreated();
    }

    @Test
    void hostileFreeTextIsEscapedAndCannotInjectXml() throws Exception {
        String closeName = "x</name><name>evil</name>";
        String injectNic = "default'/><interface type='bridge'><source bridge='br0'/></interface><x a='";
        String injectMeta = "</ef:tenant><ef:tenant>tenant-b</ef:tenant>]]><!-- \"&amp;";
        TestSpecs.Spec s = spec("c1", "n1");
        s.labels = Map.of("label", closeName, injectNic, injectMeta);
        s.env = Map.of("EVIL", injectNic + closeName);
        s.files = List.of(
                new NodeSpec.NodeFile("/etc/x</entry></sysinfo><devices>", closeName + "\n" + injectMeta, null, null));
        s.keys = List.of("ssh-ed25519 AAAA " + injectNic);

        driver.create(s.build(), injectMeta);

        String desc = conn.domainLookupByName("ef-c1-n1").getXMLDesc(0);
        Document xml = Xml.parse(desc);
        assertEquals(1, count(xml, "/domain/name"));
        assertEquals("ef-c1-n1", xpath(xml, "/domain/name"));
        assertEquals(1, count(xml, "/domain/devices/interface"));
        assertEquals("mgmt", xpath(xml, "/domain/devices/interface/source/@network"));
        assertEquals(0, count(xml, "//interface[@type='bridge']"));
        assertEquals(1, count(xml, "/domain/sysinfo/entry"));
        assertEquals(0, count(xml, "//x"));
        assertEquals(1, count(xml, "/domain/devices"));

        NodeMetadata meta = NodeMetadata.fromDomainXml(desc).orElseThrow();
        assertEquals(TENANT, meta.tenant());
        assertEquals(injectMeta, meta.commandId());
        assertEquals(Map.of("label", closeName, injectNic, injectMeta), meta.labels());
        String entry = xpath(xml, "/domain/sysinfo/entry");
        assertTrue(
                entry.matches("[A-Za-z0-9+/=]+"),
                "the fw_cfg value is plain base64: no comma reaches QEMU's option parser");
        JsonNode boot = JSON.readTree(Base64.getDecoder().decode(entry));
        assertEquals(injectNic + closeName, boot.get("env").get("EVIL").asText());
        assertEquals(
                "/etc/x</entry></sysinfo><devices>",
                boot.get("files").get(0).get("path").asText());
        assertEquals(
                closeName + "\n" + injectMeta,
                boot.get("files").get(0).get("content").asText());
        assertEquals(
                "ssh-ed25519 AAAA " + injectNic,
                boot.get("sshAuthorizedKeys").get(0).asText());
        assertEquals(
                NodeReadiness.sha256(new String(Base64.getDecoder().decode(entry), StandardCharsets.UTF_8)),
                meta.bootstrapSha256());
    }

    @Test
    void hostileNamesAndIdsAreRejectedBeforeAnythingIsCreated() throws Exception {
        List<Consumer<TestSpecs.Spec>> hostile = List.of(
                s -> s.cluster = "../c1",
                s -> s.cluster = "C1",
                s -> s.cluster = "c1'",
                s -> s.node = "n1</name>",
                s -> s.node = "",
                s -> s.node = null,
                s -> s.pool = "workers/x",
                s -> s.hostname = "n1</name><name>evil",
                s -> s.hostname = "-bad-",
                s -> s.image = "../../etc/shadow",
                s -> s.image = "..",
                s -> s.imagePool = "images pool",
                s -> s.targetPool = "vms'/>",
                s -> s.dataPool = "data\"",
                s -> s.networkType = "direct",
                s -> s.networkName = "mgmt\n",
                s -> s.cpuSet = "0-3;reboot",
                s -> s.cpuSet = "3-1",
                s -> s.cpuSet = "",
                s -> s.cpus = 0,
                s -> s.memoryMb = 1,
                s -> s.rootDiskGb = 0,
                s -> s.dataDiskGb = -1,
                s -> s.keys = List.of("ssh-ed25519 AAAA\nssh-rsa BBBB"),
                s -> s.env = Map.of("BAD NAME", "x"),
                s -> s.env = Map.of("CTRL", "a\u0001b"),
                s -> s.files = List.of(new NodeSpec.NodeFile("relative/path", "x", null, null)),
                s -> s.files = List.of(new NodeSpec.NodeFile("/etc/../shadow", "x", null, null)),
                s -> s.files = List.of(new NodeSpec.NodeFile("/etc/x", "x", "root;rm", null)),
                s -> s.files = List.of(new NodeSpec.NodeFile("/etc/x", "x", null, "rwx")),
                s -> s.labels = Map.of("k", "\u0000"));
        for (Consumer<TestSpecs.Spec> h : hostile) {
            TestSpecs.Spec s = spec("c1", "n1");
            h.accept(s);
            NodeDriverException e = assertThrows(
                    NodeDriverException.class, () -> driver.create(s.build(), "cmd-1"), () -> "accepted: " + s.build());
            assertTrue(e.getMessage().startsWith("invalid node request"), e.getMessage());
        }
        assertThrows(
                NodeDriverException.class, () -> driver.create(spec("c1", "n1").build(), "cmd\u0000"));
        for (String bad : new String[] {"../x", "X", "a'b", "a</name>", "", null, "-a", "a".repeat(41)}) {
            assertThrows(NodeDriverException.class, () -> driver.start(bad, "n1"));
            assertThrows(NodeDriverException.class, () -> driver.stop("c1", bad));
            assertThrows(NodeDriverException.class, () -> driver.delete(bad, "n1"));
            assertThrows(NodeDriverException.class, () -> driver.inspect("c1", bad));
            assertThrows(NodeDriverException.class, () -> driver.cleanupCluster(bad));
        }
        assertThrows(NodeDriverException.class, () -> new LibvirtNodeDriver(testUri(), "tenant'/><x"));
        assertNothingCreated();
    }

    @Test
    void domainTypeIsChosenFromTheHostsCapabilities() throws Exception {
        String caps = "<capabilities><host><cpu><arch>x86_64</arch></cpu></host>"
                + "<guest><os_type>hvm</os_type><arch name='i686'><domain type='qemu'/><domain type='kvm'/></arch></guest>"
                + "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/>%s</arch></guest></capabilities>";
        assertEquals("kvm", LibvirtNodeDriver.chooseDomainType(caps.formatted("<domain type='kvm'/>"), null));
        assertEquals("qemu", LibvirtNodeDriver.chooseDomainType(caps.formatted(""), null));
        assertEquals("qemu", LibvirtNodeDriver.chooseDomainType(caps.formatted("<domain type='kvm'/>"), "qemu"));
        assertEquals("test", LibvirtNodeDriver.chooseDomainType(conn.getCapabilities(), null));
        assertThrows(
                NodeDriverException.class, () -> LibvirtNodeDriver.chooseDomainType(conn.getCapabilities(), "kvm"));
        assertThrows(
                NodeDriverException.class,
                () -> new LibvirtNodeDriver(testUri(), TENANT, new LibvirtNodeDriver.Options(null, "kvm", null)));
    }

    @Test
    void inventoryListsNetworksPoolsAndBridges() {
        Inventory.Libvirt inventory = driver.libvirtInventory();
        assertEquals(
                Set.of(new Inventory.Network("default", true), new Inventory.Network("mgmt", true)),
                Set.copyOf(inventory.networks()));
        assertEquals(
                Set.of("images", "vms", "data"),
                inventory.storagePools().stream()
                        .map(Inventory.StoragePool::name)
                        .collect(Collectors.toSet()));
        for (Inventory.StoragePool pool : inventory.storagePools()) {
            assertEquals(100L << 30, pool.capacityBytes(), pool.toString());
        }
        assertEquals(List.of("br0"), inventory.bridges(), "bridges only, not every interface");
        driver.close();
        assertNull(driver.libvirtInventory());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void assertNothingCreated() throws LibvirtException {
        assertEquals(List.of(), domainNames());
        assertEquals(List.of(), volumes("vms"));
        assertEquals(List.of(), volumes("data"));
        assertEquals(List.of("debian-12-base.qcow2"), volumes("images"));
    }

    private List<String> domainNames() throws LibvirtException {
        Set<String> names = new TreeSet<>();
        for (Domain d : conn.listAllDomains(0)) {
            names.add(d.getName());
        }
        return List.copyOf(names);
    }

    private List<String> volumes(String pool) throws LibvirtException {
        String[] names = conn.storagePoolLookupByName(pool).listVolumes();
        Arrays.sort(names);
        return List.of(names);
    }

    private static NodeStatus next(BlockingQueue<NodeStatus> events, Predicate<NodeStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<NodeStatus> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            NodeStatus s = events.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) {
                continue;
            }
            if (wanted.test(s)) {
                return s;
            }
            seen.add(s);
        }
        fail("no such event within 5 s; saw " + seen);
        return null;
    }
}
