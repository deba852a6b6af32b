package io.edgefleet.gateway.nodes.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tasks.NodeTasks;
import io.edgefleet.gateway.tasks.TaskFailedException;
import io.edgefleet.gateway.tasks.TaskProgress;
import io.edgefleet.gateway.tasks.TaskResult;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy tasks in a real virtual machine: libvirtd + QEMU (software emulation), a node booted from the
 * guest image that {@code deploy/local/node-image/mk-guest-image.sh} builds (Debian's kernel, busybox and
 * the QEMU guest agent; it applies the bootstrap document and keeps /var/lib/edgefleet on its data disk),
 * and a real S3 server. The test checks the guest with its own agent calls ({@code virsh
 * qemu-agent-command}), independent of the gateway's. One VM serves all tests, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestAgentTasksTest {

    private static final String TENANT = "tenant-ga";
    private static final String IMAGE = "node-guest.raw";
    private static final String BUCKET = "backups";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOOTSTRAP = """
            cluster:
              id: %s
            kubernetes:
              version: 1.27.13
              podCIDR: 192.168.0.0/16
              serviceCIDR: 10.96.0.0/12
            ntp:
              servers:
              - ntp.ubuntu.com
            """;

    private static RealLibvirtHost host;
    private static S3Server s3;
    private static S3Client s3Client;
    private static S3Presigner presigner;
    private static Path home;
    private static LocalStore store;
    private static LibvirtNodeDriver driver;
    private static NodeTasks tasks;
    private static String cluster;
    private static String domain;
    private static final List<NodeStatus> observed = new CopyOnWriteArrayList<>();
    private static final List<String> booting = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void bootAVirtualNode() throws Exception {
        host = RealLibvirtHost.open("ga");
        Path image = Path.of("target", "guest-image", IMAGE).toAbsolutePath();
        if (!Files.exists(image)) {
            Path log = Path.of("target", "guest-image.log");
            int rc = RealLibvirtHost.runScript("deploy/local/node-image/mk-guest-image.sh", log, image.toString());
            assertEquals(0, rc, () -> "building the guest image failed: " + read(log));
        }
        Files.copy(image, host.work.resolve(host.imagesPool).resolve(IMAGE));
        host.pool(host.imagesPool).refresh(0);

        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        s3Client = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        presigner = S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .endpointOverride(URI.create(s3.endpoint()))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();

        home = host.work.resolve("gateway");
        store = new LocalStore(home.resolve("state"));
        // software emulation: this machine's /dev/kvm may exist without working
        driver = new LibvirtNodeDriver(
                RealLibvirtHost.URI, TENANT, new LibvirtNodeDriver.Options(Duration.ofSeconds(10), "qemu", null));
        driver.watch(observed::add);
        tasks = new NodeTasks(driver, store, UnaryOperator.identity(), home.resolve("tasks"));

        cluster = "ga-" + host.suffix;
        domain = NodeNames.nodeName(cluster, "n1");
        NodeSpec spec = new NodeSpec(
                cluster,
                "workers",
                "n1",
                NodeRole.WORKER,
                "n1",
                new NodeSpec.Resources(1, 256, 1, null),
                IMAGE,
                new NodeSpec.VirtualPlacement(
                        "network", host.networkName, host.imagesPool, host.vmsPool, host.dataPool, 1),
                List.of("ssh-ed25519 AAAAC3Nza ops@edge"),
                Map.of("NO_PROXY", "10.0.0.0/8"),
                List.of(
                        new NodeSpec.NodeFile(
                                "/etc/edgefleet/bootstrap.yaml",
                                String.format(BOOTSTRAP, cluster),
                                "root:root",
                                "0600"),
                        new NodeSpec.NodeFile(
                                "/etc/kubernetes/pki/ca.crt", "-----BEGIN CERTIFICATE-----\n", "root:root", "0644"),
                        new NodeSpec.NodeFile(
                                "/etc/kubernetes/pki/ca.key", "-----BEGIN PRIVATE KEY-----\n", "root:root", "0600")),
                Map.of("site", "store-42"));
        String commandId = "create-" + random();
        store.recordCommand(
                commandId,
                EventTypes.CREATE_NODE,
                new String(EventJson.write(new NodeCommand(commandId, cluster, "n1", spec)), StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        NodeStatus created = driver.create(spec, commandId);
        assertEquals(NodeState.RUNNING, created.state());
        // ready means booted: the agent answers and the bootstrap was applied, right when awaitReady returns
        NodeStatus ready = driver.awaitReady(created, booting::add);
        System.out.printf(
                "virtual node %s booted and applied its bootstrap in %d ms%n",
                domain, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertEquals(NodeState.RUNNING, ready.state());
        assertTrue(ready.message().startsWith("ready: "), ready.message());
        assertEquals("n1", guest("hostname").strip(), "the guest applied the bootstrap document");
        assertTrue(
                booting.stream().allMatch(m -> m.startsWith("booting: ")) && !booting.isEmpty(),
                () -> "progress while the guest boots: " + booting);
    }

    @AfterAll
    static void removeEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {driver, store, presigner, s3Client, s3, host}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(0)
    void theConsoleIsLoggedAndANodeThatDidNotApplyItsBootstrapIsNotReady() throws Exception {
        String log = String.join("\n", ConsoleLog.tail(host.pool(host.vmsPool), domain, 200));
        assertTrue(log.contains("bootstrap applied for n1"), () -> "the guest's console, logged by libvirt: " + log);
        assertTrue(
                Files.exists(host.work.resolve(host.vmsPool).resolve(domain + "-console.log")),
                "beside the root disk, in the target pool");

        // the console as GET …/nodes/{node}/console has it: through the driver, bounded, and without the bootstrap's
        // secrets (they reach the guest through fw_cfg, and the guest image prints none of them)
        NodeDriver.NodeConsoleTail console = driver.console(cluster, "n1", 1000, 128 * 1024);
        assertEquals(NodeConsole.Source.SERIAL_CONSOLE, console.source());
        String text = String.join("\n", console.tail().lines());
        assertTrue(text.contains("bootstrap applied for n1"), text);
        assertFalse(text.contains("PRIVATE KEY") || text.contains("ssh-ed25519 AAAAC3Nza"), text);
        // the image boots quietly: its one line, cut to the byte limit from its end
        NodeDriver.NodeConsoleTail small = driver.console(cluster, "n1", 1000, 10);
        assertTrue(small.tail().truncated(), small.toString());
        assertEquals(List.of("ed for n1"), small.tail().lines(), small.toString());
        assertEquals(
                1, driver.console(cluster, "n1", 1, 128 * 1024).tail().lines().size());
        var missing = assertThrows(NodeDriverException.class, () -> driver.console(cluster, "n9", 10, 1000));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        // the guest has not applied (or lost the mark of) its bootstrap: the agent answers, the node is not ready
        guest("mv " + NodeReadiness.MARKER + " /tmp/marker");
        try (LibvirtNodeDriver impatient = new LibvirtNodeDriver(
                RealLibvirtHost.URI,
                TENANT,
                new LibvirtNodeDriver.Options(Duration.ofSeconds(10), "qemu", null, Duration.ofSeconds(3)))) {
            NodeStatus running = impatient.inspect(cluster, "n1").orElseThrow();
            var e = assertThrows(NodeDriverException.class, () -> impatient.awaitReady(running, m -> {}));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "node " + domain + " is not ready after 3 s: the guest agent answers,"
                                            + " but the guest has not applied the bootstrap (no /run/edgefleet/bootstrap.sha256)"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("the console's last lines:\n")
                            && e.getMessage().contains("bootstrap applied for n1"),
                    e.getMessage());

            // a mark of another document does not count either
            guest("echo 0000 > " + NodeReadiness.MARKER);
            var other = assertThrows(NodeDriverException.class, () -> impatient.awaitReady(running, m -> {}));
            assertTrue(other.getMessage().contains("applied another bootstrap document"), other.getMessage());
        } finally {
            guest("mv /tmp/marker " + NodeReadiness.MARKER);
        }
        assertEquals(
                NodeState.RUNNING,
                driver.awaitReady(driver.inspect(cluster, "n1").orElseThrow(), m -> {})
                        .state());
    }

    @Test
    @Order(0)
    void theNodesAddressIsLearnedFromItsGuestAgentWhereNoDhcpLeaseTellsIt() throws Exception {
        // the test network hands out no addresses (as on a host bridge, libvirt keeps no lease): one set by hand
        assertEquals(null, driver.inspect(cluster, "n1").orElseThrow().ip());
        guest("ip addr add 10.213.7.5/24 dev eth0");
        try {
            assertEquals(
                    "10.213.7.5", driver.inspect(cluster, "n1").orElseThrow().ip());
            // what the policy tasks (the penetration scan's probes) start from
            assertEquals("10.213.7.5", driver.access(cluster, "n1").status().ip());
            assertEquals(
                    "10.213.7.5",
                    driver.list().stream()
                            .filter(n -> n.clusterId().equals(cluster))
                            .findFirst()
                            .orElseThrow()
                            .ip());
        } finally {
            guest("ip addr del 10.213.7.5/24 dev eth0");
        }
    }

    @Test
    @Order(1)
    void configurationScanRunsInsideTheVm() throws Exception {
        guest("chmod 644 /etc/edgefleet/bootstrap.yaml");
        try {
            TaskResult result =
                    tasks.run(EventTypes.SCAN_NODE, scan(NodeTask.ScanKind.CONFIGURATION_SECURITY), TaskProgress.NONE);

            Map<String, Finding> byId = byId(result.output().findings());
            assertEquals(FindingStatus.FAIL, byId.get("EF-CS-1.1").status());
            assertEquals("mode 0644 owner 0:0", byId.get("EF-CS-1.1").evidence());
            List<Finding> others = result.output().findings().stream()
                    .filter(f -> !f.checkId().equals("EF-CS-1.1"))
                    .toList();
            assertTrue(others.stream().allMatch(f -> f.status() == FindingStatus.PASS), others::toString);
            assertTrue(
                    others.stream().anyMatch(f -> f.title().contains("/etc/kubernetes/pki/ca.key")), others::toString);
        } finally {
            guest("chmod 600 /etc/edgefleet/bootstrap.yaml");
        }
    }

    @Test
    @Order(2)
    void conformanceScanComparesTheVmWithItsSpec() throws Exception {
        guest(
                "cp /etc/edgefleet/bootstrap.yaml /tmp/b && sed -i s#podCIDR:.*#podCIDR:\\ 10.0.0.0/16# /etc/edgefleet/bootstrap.yaml");
        try {
            TaskResult result = tasks.run(EventTypes.SCAN_NODE, scan(NodeTask.ScanKind.CONFORMANCE), TaskProgress.NONE);

            Map<String, Finding> byId = byId(result.output().findings());
            assertEquals(
                    "expected 192.168.0.0/16, found 10.0.0.0/16",
                    byId.get("EF-CF-5.2").evidence());
            assertEquals(FindingStatus.FAIL, byId.get("EF-CF-4.1").status(), "the bootstrap file's content differs");
            // resources come from the domain's definition: 1 vCPU, 256 MiB
            for (String ok : List.of(
                    "EF-CF-1.2",
                    "EF-CF-2.1",
                    "EF-CF-2.2",
                    "EF-CF-3.1",
                    "EF-CF-3.2",
                    "EF-CF-4.2",
                    "EF-CF-4.3",
                    "EF-CF-5.1")) {
                assertEquals(FindingStatus.PASS, byId.get(ok).status(), () -> ok + ": " + byId.get(ok));
            }
        } finally {
            guest("cp /tmp/b /etc/edgefleet/bootstrap.yaml");
        }
    }

    @Test
    @Order(3)
    void backupAndRestoreOfTheVmsDataDirectory() throws Exception {
        guest("mkdir -p /var/lib/edgefleet/app/sub && echo one > /var/lib/edgefleet/app/a.txt"
                + " && echo two > /var/lib/edgefleet/app/sub/b.txt && chmod 640 /var/lib/edgefleet/app/a.txt"
                + " && head -c 3000000 /dev/urandom > /var/lib/edgefleet/app/blob"); // more than one chunk of
        // the agent's
        String blob = guest("sha256sum /var/lib/edgefleet/app/blob");
        String key = "tenant/" + cluster + "/n1/" + random() + ".tar.gz";

        TaskResult backup = tasks.run(
                EventTypes.BACKUP_NODE,
                new NodeTask(
                        "backup-" + random(),
                        cluster,
                        "n1",
                        null,
                        new NodeTask.Backup(presignPut(key), key, List.of("/var/lib/edgefleet"), true),
                        null,
                        null),
                TaskProgress.NONE);

        TaskOutput.Archive archive = backup.output().archive();
        assertEquals(List.of("/var/lib/edgefleet", "/etc/edgefleet"), archive.paths());
        byte[] stored =
                s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertEquals(archive.sizeBytes(), stored.length);
        assertEquals(
                archive.sha256(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        assertEquals("", guest("ls /tmp | grep -v '^b$' || true"), "the guest's temporary tar files are removed");

        guest(
                "echo changed > /var/lib/edgefleet/app/a.txt && rm /var/lib/edgefleet/app/blob && echo new > /var/lib/edgefleet/app/added.txt");
        TaskResult restored = tasks.run(
                EventTypes.RESTORE_NODE,
                new NodeTask(
                        "restore-" + random(),
                        cluster,
                        "n1",
                        null,
                        null,
                        new NodeTask.Restore(presignGet(key), archive.sha256(), archive.sizeBytes(), false),
                        null),
                TaskProgress.NONE);

        assertEquals(List.of("/var/lib/edgefleet"), restored.output().archive().paths());
        assertEquals("one\n", guest("cat /var/lib/edgefleet/app/a.txt"));
        assertEquals("two\n", guest("cat /var/lib/edgefleet/app/sub/b.txt"));
        assertEquals("640 0:0\n", guest("stat -c '%a %u:%g' /var/lib/edgefleet/app/a.txt"));
        assertEquals(blob, guest("sha256sum /var/lib/edgefleet/app/blob"));
        assertEquals("gone\n", guest("[ -e /var/lib/edgefleet/app/added.txt ] && echo there || echo gone"));
        assertEquals("", guest("ls /tmp | grep -v '^b$' || true"), "the guest's temporary tar files are removed");
    }

    @Test
    @Order(4)
    void aPatchThatNeedsARebootRebootsTheVmWithoutItLookingLost() throws Exception {
        String bootBefore = guest("cat /proc/sys/kernel/random/boot_id");
        observed.clear();

        TaskResult result = tasks.run(
                EventTypes.PATCH_NODE,
                patch(
                        "echo patching; echo 2 > /var/lib/edgefleet/os-release;"
                                + " touch /var/run/reboot-required; echo done",
                        true,
                        60),
                TaskProgress.NONE);

        TaskOutput.PatchOutcome outcome = result.output().patch();
        assertEquals("patching\ndone\n", outcome.output());
        assertTrue(outcome.rebootRequired());
        assertTrue(outcome.rebooted());
        assertEquals(NodeState.RUNNING, result.node().state());
        assertNotEquals(bootBefore, guest("cat /proc/sys/kernel/random/boot_id"), "the guest booted again");
        assertEquals("2\n", guest("cat /var/lib/edgefleet/os-release"), "the data disk survived the reboot");
        assertEquals("gone\n", guest("[ -e /var/run/reboot-required ] && echo there || echo gone"));
        // late events of the reboot would arrive within the second
        Eventually.stays(
                "no lost or stopped node",
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                () -> observed.stream().allMatch(s -> s.state() == NodeState.RUNNING));

        TaskFailedException failed = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.PATCH_NODE, patch("echo broken mirror >&2; exit 3", false, 0), TaskProgress.NONE));
        assertEquals("the patch command failed with exit code 3: broken mirror", failed.getMessage());

        TaskFailedException slow = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(EventTypes.PATCH_NODE, patch("echo started; sleep 300", false, 2), TaskProgress.NONE));
        assertEquals("the patch command did not end within 2 s", slow.getMessage());
        assertEquals("", guest("ps | grep '[s]leep 300' || true"), "the command was killed in the guest");
    }

    // --- helpers

    private static NodeTask scan(NodeTask.ScanKind kind) {
        return new NodeTask("scan-" + random(), cluster, "n1", new NodeTask.Scan(kind, List.of()), null, null, null);
    }

    private static NodeTask patch(String command, boolean reboot, int timeout) {
        return new NodeTask(
                "patch-" + random(), cluster, "n1", null, null, null, new NodeTask.Patch(command, reboot, timeout));
    }

    private static String presignPut(String key) {
        return presigner
                .presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .putObjectRequest(r -> r.bucket(BUCKET).key(key)))
                .url()
                .toString();
    }

    private static String presignGet(String key) {
        return presigner
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .getObjectRequest(r -> r.bucket(BUCKET).key(key)))
                .url()
                .toString();
    }

    private static Map<String, Finding> byId(List<Finding> findings) {
        Map<String, Finding> byId = new HashMap<>();
        findings.forEach(f -> byId.put(f.checkId(), f));
        return byId;
    }

    /** Runs {@code sh -c script} in the guest through virsh (the test's own path into the VM); its stdout, exit 0 required. */
    private static String guest(String script) throws Exception {
        String request = JSON.createObjectNode()
                .put("execute", "guest-exec")
                .set(
                        "arguments",
                        JSON.createObjectNode()
                                .put("path", "sh")
                                .put("capture-output", true)
                                .set("arg", JSON.createArrayNode().add("-c").add(script)))
                .toString();
        long pid = JSON.readTree(virsh(request)).path("return").path("pid").asLong();
        JsonNode s = Eventually.value(
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> execStatus(pid),
                status -> status.path("exited").asBoolean());
        if (!s.path("exited").asBoolean()) {
            throw new AssertionError(script + " did not end within 60 s");
        }
        String out = new String(Base64.getDecoder().decode(s.path("out-data").asText("")), StandardCharsets.UTF_8);
        String err = new String(Base64.getDecoder().decode(s.path("err-data").asText("")), StandardCharsets.UTF_8);
        assertEquals(0, s.path("exitcode").asInt(-1), () -> script + " failed in the guest: " + err);
        return out;
    }

    /** The agent's guest-exec-status of {@code pid}. */
    private static JsonNode execStatus(long pid) {
        try {
            return JSON.readTree(virsh("""
                    {"execute": "guest-exec-status", "arguments": {"pid": %d}}""".formatted(pid))).path("return");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String virsh(String agentCommand) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("virsh", "-c", RealLibvirtHost.URI, "qemu-agent-command", domain, agentCommand));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("virsh qemu-agent-command: " + out.strip());
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
