package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.w3c.dom.Document;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgefleet.gateway.nodes.libvirt.TestSpecs.count;
import static io.edgefleet.gateway.nodes.libvirt.TestSpecs.xpath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The driver against a real libvirtd and QEMU ({@code qemu:///system}). {@code deploy/ci/libvirt-up.sh}
 * installs and starts them when missing; only when that fails is this test skipped. Everything it makes
 * is transient or named after a random suffix: dir pools under {@link RealLibvirtHost#workRoot()}, an isolated
 * libvirt network without addresses (no dnsmasq, no firewall rules), and a 16 MiB raw base volume whose
 * first bytes are a marker. The guests have no OS: SeaBIOS finds nothing to boot, which is fine for
 * starting, stopping and deleting them.
 */
class LibvirtRealQemuTest {

    static final String URI = RealLibvirtHost.URI;
    static final String TENANT = "tenant-rt";
    static final byte[] MARKER = "EDGEFLEET-BASE-IMAGE".getBytes(StandardCharsets.US_ASCII);

    static RealLibvirtHost host;
    static String suffix;
    static Path work;
    static String imagesPool;
    static String vmsPool;
    static String dataPool;
    static String networkName;

    @BeforeAll
    static void libvirtdWithPoolsAndNetwork() throws Exception {
        host = RealLibvirtHost.open("rt");
        suffix = host.suffix;
        work = host.work;
        imagesPool = host.imagesPool;
        vmsPool = host.vmsPool;
        dataPool = host.dataPool;
        networkName = host.networkName;

        StorageVol base = host.pool(imagesPool)
                .storageVolCreateXML(DomainXml.volume("base.raw", 16 * DomainXml.MIB, "raw", null, null), 0);
        try (RandomAccessFile f = new RandomAccessFile(base.getPath(), "rw")) {
            f.write(MARKER);
        }
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void clonesTheBaseImageAcrossPoolsStartsTheDomainAndDeletesItAgain() throws Exception {
        String cluster = "rt-" + suffix; // domain ef-rt-<suffix>-n1
        String name = NodeNames.nodeName(cluster, "n1");
        try (LibvirtNodeDriver driver =
                new LibvirtNodeDriver(URI, TENANT, new LibvirtNodeDriver.Options(Duration.ofSeconds(2), null, null))) {
            BlockingQueue<NodeStatus> events = new LinkedBlockingQueue<>();
            driver.watch(events::add);
            String expectedType = host.admin().getCapabilities().contains("<domain type='kvm'") ? "kvm" : "qemu";
            assertEquals(expectedType, driver.domainType());

            long t0 = System.nanoTime();
            NodeStatus created = driver.create(spec(cluster, "n1", "0"), "cmd-rt-1");
            System.out.printf(
                    "real QEMU: created and started %s (%s) in %d ms%n",
                    name, driver.domainType(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(NodeState.RUNNING, created.state());

            Domain d = host.admin().domainLookupByName(name);
            assertEquals(1, d.isActive());
            assertEquals(d.getUUIDString(), created.ref());
            Document xml = Xml.parse(d.getXMLDesc(0));
            assertEquals(expectedType, xpath(xml, "/domain/@type"));
            assertEquals("0", xpath(xml, "/domain/vcpu/@cpuset"));
            assertEquals(1, count(xml, "/domain/devices/interface"));
            // the serial console is logged beside the root disk (virtlogd makes the file when the domain starts)
            Path consoleLog = work.resolve(vmsPool).resolve(name + "-console.log");
            assertEquals(consoleLog.toString(), xpath(xml, "/domain/devices/serial/log/@file"));
            assertTrue(Files.exists(consoleLog), consoleLog::toString);
            assertEquals(networkName, xpath(xml, "/domain/devices/interface/source/@network"));
            assertEquals(
                    TENANT,
                    NodeMetadata.fromDomainXml(d.getXMLDesc(0)).orElseThrow().tenant());

            // a real copy in the target pool, not an overlay: the marker was copied, there is no backing store
            StorageVol root = host.admin().storagePoolLookupByName(vmsPool).storageVolLookupByName(name + "-root");
            assertTrue(root.getPath().startsWith(work.resolve(vmsPool).toString()), root.getPath());
            assertEquals(1L << 30, root.getInfo().capacity);
            assertEquals(0, count(Xml.parse(root.getXMLDesc(0)), "/volume/backingStore/path"));
            byte[] head = new byte[MARKER.length];
            try (RandomAccessFile f = new RandomAccessFile(root.getPath(), "r")) {
                f.readFully(head);
            }
            assertArrayEquals(MARKER, head, "the root disk starts with the base image's bytes");
            StorageVol data = host.admin().storagePoolLookupByName(dataPool).storageVolLookupByName(name + "-data");
            assertEquals(1L << 30, data.getInfo().capacity);
            String rootPath = root.getPath();
            String dataPath = data.getPath();

            // QEMU really got the bootstrap document as one fw_cfg entry, and nothing else
            String bootstrap =
                    new String(Base64.getDecoder().decode(xpath(xml, "/domain/sysinfo/entry")), StandardCharsets.UTF_8);
            assertEquals(
                    NodeReadiness.sha256(bootstrap),
                    NodeMetadata.fromDomainXml(d.getXMLDesc(0)).orElseThrow().bootstrapSha256());
            assertTrue(bootstrap.contains(",file=/etc/hostname,name=opt/evil"), bootstrap);
            String cmdline = Files.readString(Path.of("/var/log/libvirt/qemu", name + ".log"));
            assertTrue(
                    cmdline.contains(
                            "-fw_cfg name=opt/io.edgefleet/bootstrap,string=" + Bootstrap.fwCfgValue(bootstrap) + " "),
                    cmdline);
            assertEquals(1, cmdline.split("-fw_cfg ", -1).length - 1, cmdline);
            assertFalse(cmdline.contains("opt/evil"), cmdline);

            // the host's bridges are in the inventory: the test network's among them
            assertTrue(
                    driver.libvirtInventory().bridges().contains("efrt" + suffix),
                    () -> driver.libvirtInventory().toString());

            NodeStatus running = next(events, s -> s.state() == NodeState.RUNNING);
            assertEquals("n1", running.nodeId());

            // libvirtd drops the driver's connection (as on a daemon restart): the driver reconnects by
            // itself, reports its nodes again, and keeps receiving events on the new connection
            Connect before = driver.connection();
            disconnectNewestClientOfThisProcess();
            NodeStatus resynced = next(events, s -> s.message().startsWith("after reconnect"));
            assertEquals(NodeState.RUNNING, resynced.state());
            assertEquals(created.ref(), resynced.ref());
            assertTrue(driver.connection() != before, "a new connection");
            assertEquals(
                    NodeState.RUNNING,
                    driver.inspect(cluster, "n1").orElseThrow().state());

            NodeStatus deleted = driver.delete(cluster, "n1");
            assertEquals(NodeState.DELETED, deleted.state());
            assertGone(name);
            assertFalse(Files.exists(Path.of(rootPath)), rootPath);
            assertFalse(Files.exists(Path.of(dataPath)), dataPath);
            assertFalse(Files.exists(consoleLog), "the console log goes with its node");
            assertEquals(
                    List.of("base.raw"),
                    List.of(host.admin().storagePoolLookupByName(imagesPool).listVolumes()));
            assertEquals("n1", next(events, s -> s.state() == NodeState.DELETED).nodeId());
        }
    }

    @Test
    void softwareEmulatedNodeStopsStartsAndIsCleanedUpWithItsCluster() throws Exception {
        String cluster = "rt-" + suffix + "-q";
        String name = NodeNames.nodeName(cluster, "n1");
        try (LibvirtNodeDriver driver = new LibvirtNodeDriver(
                URI,
                TENANT,
                new LibvirtNodeDriver.Options(Duration.ofSeconds(1), "qemu", null, Duration.ofSeconds(4)))) {
            NodeStatus created = driver.create(spec(cluster, "n1", null), "cmd-rt-2");
            assertEquals(NodeState.RUNNING, created.state());
            // running, but no OS boots: never ready, and the failure says why
            List<String> progress = new ArrayList<>();
            var notReady =
                    Assertions.assertThrows(NodeDriverException.class, () -> driver.awaitReady(created, progress::add));
            assertTrue(
                    notReady.getMessage()
                            .startsWith("node " + name + " is not ready after 4 s: the guest agent does not answer"),
                    notReady.getMessage());
            assertTrue(progress.get(0).startsWith("booting: the guest agent does not answer"), progress.toString());
            assertEquals(
                    "qemu",
                    xpath(Xml.parse(host.admin().domainLookupByName(name).getXMLDesc(0)), "/domain/@type"));
            assertEquals(
                    created.ref(),
                    driver.create(spec(cluster, "n1", null), "cmd-rt-3").ref(),
                    "adopted, not created twice");

            // a guest without the QEMU guest agent (here: no OS at all): tasks in it fail with the reason
            var noAgent = Assertions.assertThrows(
                    NodeDriverException.class,
                    () -> driver.access(cluster, "n1").exec(List.of("true"), Duration.ofSeconds(5), 1024));
            assertTrue(noAgent.getMessage().contains("must run qemu-ga"), noAgent.getMessage());

            // no OS answers the ACPI request: the driver powers it off after the timeout
            NodeStatus stopped = driver.stop(cluster, "n1");
            assertEquals(NodeState.STOPPED, stopped.state());
            assertEquals(0, host.admin().domainLookupByName(name).isActive());
            assertEquals(NodeState.RUNNING, driver.start(cluster, "n1").state());
            assertEquals(
                    List.of(cluster),
                    driver.list().stream()
                            .map(NodeStatus::clusterId)
                            .filter(cluster::equals)
                            .toList());

            driver.cleanupCluster(cluster);
            assertGone(name);
            assertFalse(List.of(host.admin().storagePoolLookupByName(vmsPool).listVolumes())
                    .contains(name + "-root"));
        }
    }

    @Test
    void aTargetPoolQemuCannotReachIsRefusedBeforeAnythingIsCreatedSayingWhatToChange() throws Exception {
        // the pool's directory is open, one above it is private (as a checkout in a CI's mktemp -d)
        Path hidden = work.resolve("private");
        Path dir = hidden.resolve("vms");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        String pool = host.prefix + "-private";
        host.admin()
                .storagePoolCreateXML(
                        "<pool type='dir'><name>" + pool + "</name><target><path>" + dir + "</path></target></pool>",
                        0);
        String cluster = "rt-" + suffix + "-p";
        String name = NodeNames.nodeName(cluster, "n1");
        try (LibvirtNodeDriver driver = new LibvirtNodeDriver(
                URI, TENANT, new LibvirtNodeDriver.Options(Duration.ofSeconds(1), "qemu", null))) {
            NodeSpec spec = spec(cluster, "n1", null);
            NodeSpec inPrivate = new NodeSpec(
                    spec.clusterId(),
                    spec.poolName(),
                    spec.nodeId(),
                    spec.role(),
                    spec.hostname(),
                    spec.resources(),
                    spec.image(),
                    new NodeSpec.VirtualPlacement("network", networkName, imagesPool, pool, dataPool, 1),
                    spec.sshAuthorizedKeys(),
                    spec.env(),
                    spec.files(),
                    spec.labels());
            // pre-flight: refused before any volume or domain is made, naming the pool, the directory and the fix
            var e = Assertions.assertThrows(NodeDriverException.class, () -> driver.create(inPrivate, "cmd-rt-4"));
            assertTrue(
                    e.getMessage()
                                    .startsWith("node " + name + " cannot be created on this appliance: target storage"
                                            + " pool (targetPool) '" + pool + "': QEMU runs as uid ")
                            && e.getMessage().contains("libvirt-qemu on Debian")
                            && e.getMessage().contains("cannot enter " + hidden + " (mode 0700, owner ")
                            && e.getMessage().contains("chmod o+x " + hidden)
                            && e.getMessage().endsWith("Nothing was created."),
                    e.getMessage());
            assertGone(name);
            assertEquals(List.of(), List.of(host.pool(pool).listVolumes()));
            // the inventory says so too, so that cluster-service's pre-flight refuses the pool before any command
            Inventory.StoragePool reported = driver.libvirtInventory().storagePools().stream()
                    .filter(p -> p.name().equals(pool))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    reported.unusable() != null
                            && reported.unusable().startsWith("storage pool '" + pool + "': QEMU runs as uid ")
                            && reported.unusable().contains("chmod o+x " + hidden),
                    reported.toString());
            Inventory.StoragePool open = driver.libvirtInventory().storagePools().stream()
                    .filter(p -> p.name().equals(vmsPool))
                    .findFirst()
                    .orElseThrow();
            assertNull(open.unusable(), open.toString());
        } finally {
            host.pool(pool).destroy();
        }
    }

    private NodeSpec spec(String cluster, String node, String cpuSet) {
        return new NodeSpec(
                cluster,
                "workers",
                node,
                NodeRole.WORKER,
                null,
                new NodeSpec.Resources(1, 128, 1, cpuSet),
                "base.raw",
                new NodeSpec.VirtualPlacement("network", networkName, imagesPool, vmsPool, dataPool, 1),
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVkZ2VmbGVldA ops@edgefleet"),
                Map.of("NO_PROXY", "10.0.0.0/8"),
                // commas and quotes would break out of QEMU's -fw_cfg string=... if they reached it unencoded
                List.of(new NodeSpec.NodeFile(
                        "/etc/edgefleet/node.yaml",
                        "cluster: " + cluster + "\nnote: \"x\",file=/etc/hostname,name=opt/evil\n",
                        "root:root",
                        "0600")),
                Map.of());
    }

    /** virt-admin closes our newest connection to libvirtd (the driver's: it was opened after {@link #admin}). */
    private static void disconnectNewestClientOfThisProcess() throws IOException, InterruptedException {
        String pid = Long.toString(ProcessHandle.current().pid());
        String newest = null;
        for (String line : run("virt-admin", "srv-clients-list", "libvirtd").split("\n")) {
            String id = line.strip().split("\\s+")[0];
            if (id.matches("\\d+")
                    && run("virt-admin", "client-info", "libvirtd", id)
                            .matches("(?s).*unix_process_id: " + pid + "\\b.*")
                    && (newest == null || Long.parseLong(id) > Long.parseLong(newest))) {
                newest = id;
            }
        }
        assertTrue(newest != null, "no libvirtd client of this process");
        run("virt-admin", "client-disconnect", "libvirtd", newest);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static void assertGone(String name) throws LibvirtException {
        try {
            host.admin().domainLookupByName(name);
            fail("domain " + name + " still exists");
        } catch (LibvirtException e) {
            assertEquals(Error.ErrorNumber.VIR_ERR_NO_DOMAIN, e.getError().getCode());
        }
        assertFalse(List.of(host.admin().storagePoolLookupByName(vmsPool).listVolumes())
                .contains(name + "-root"));
        assertFalse(List.of(host.admin().storagePoolLookupByName(dataPool).listVolumes())
                .contains(name + "-data"));
    }

    private static NodeStatus next(BlockingQueue<NodeStatus> events, Predicate<NodeStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<NodeStatus> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            NodeStatus s = events.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && wanted.test(s)) {
                return s;
            }
            if (s != null) {
                seen.add(s);
            }
        }
        fail("no such event within 10 s; saw " + seen);
        return null;
    }
}
