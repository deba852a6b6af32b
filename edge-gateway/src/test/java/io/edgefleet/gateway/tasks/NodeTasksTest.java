package io.edgefleet.gateway.tasks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.docker.DockerNodeDriver;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.S3Server;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy tasks on real node containers (Docker engine, deploy/ci/docker-up.sh) with a real S3 server
 * (S3Proxy, signatures checked) and presigned URLs made by the AWS SDK, as policy-service makes them.
 */
class NodeTasksTest {

    private static final String HOST = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    private static final String IMAGE = "edgefleet/node:latest";
    private static final String BUCKET = "backups";
    private static final String BOOTSTRAP = """
            apiVersion: edgefleet.io/v1
            kind: NodeBootstrap
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

    private static S3Server s3;
    private static S3Client s3Client;
    private static S3Presigner presigner;
    private static DockerClient docker;

    private final String tenant = "test-" + random();
    private final String cluster = "c" + random();
    private final List<NodeStatus> observed = new CopyOnWriteArrayList<>();
    private DockerNodeDriver driver;
    private LocalStore store;
    private NodeTasks tasks;

    @TempDir
    Path home;

    @BeforeAll
    static void startServers() {
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
        presigner = presigner(s3.secretKey());
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(HOST)
                .build();
        docker = DockerClientImpl.getInstance(
                config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .build());
    }

    @AfterAll
    static void stopServers() throws Exception {
        presigner.close();
        s3Client.close();
        s3.close();
        docker.close();
    }

    @BeforeEach
    void openGateway() {
        driver = new DockerNodeDriver(HOST, tenant);
        driver.watch(observed::add);
        store = new LocalStore(home.resolve("state"));
        tasks = new NodeTasks(
                driver, store, UnaryOperator.identity(), home.resolve("state").resolve("tasks"));
    }

    @AfterEach
    void cleanUp() {
        driver.close();
        store.close();
        for (Container c : docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NodeNames.TENANT, tenant))
                .exec()) {
            docker.removeContainerCmd(c.getId())
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        }
        for (Network n : docker.listNetworksCmd()
                .withFilter("label", List.of(NodeNames.TENANT + "=" + tenant))
                .exec()) {
            docker.removeNetworkCmd(n.getId()).exec();
        }
    }

    // --- scans

    @Test
    void configurationScanFailsThePlantedWeaknessOnlyAndStillSucceeds() throws Exception {
        NodeStatus node = createNode("n1");
        exec(node, "chmod", "644", "/etc/edgefleet/bootstrap.yaml");

        TaskResult result = tasks.run(
                EventTypes.SCAN_NODE,
                scan("n1", NodeTask.ScanKind.CONFIGURATION_SECURITY, List.of()),
                TaskProgress.NONE);

        List<Finding> findings = result.output().findings();
        Finding bootstrapMode = findings.stream()
                .filter(f -> f.checkId().equals("EF-CS-1.1"))
                .findFirst()
                .orElseThrow();
        assertEquals(FindingStatus.FAIL, bootstrapMode.status());
        assertEquals("mode 0644 owner 0:0", bootstrapMode.evidence());
        List<Finding> others =
                findings.stream().filter(f -> !f.checkId().equals("EF-CS-1.1")).toList();
        assertTrue(others.stream().allMatch(f -> f.status() == FindingStatus.PASS), others::toString);
        // the spec's certificate and key were looked at
        assertTrue(findings.stream()
                .anyMatch(f -> f.checkId().equals("EF-CS-2.1") && f.title().contains("/etc/kubernetes/pki/ca.crt")));
        assertTrue(findings.stream()
                .anyMatch(f -> f.checkId().equals("EF-CS-3.1") && f.title().contains("/etc/kubernetes/pki/ca.key")));
        assertTrue(result.message().contains("1 failed"), result.message());
    }

    @Test
    void penetrationScanFindsAPlantedDockerApiListener() throws Exception {
        NodeStatus node = createNode("n1");
        exec(node, "httpd", "-p", "2375", "-h", "/tmp"); // a listener where the Docker API without TLS would be

        long t0 = System.nanoTime();
        TaskResult result = tasks.run(
                EventTypes.SCAN_NODE, scan("n1", NodeTask.ScanKind.PENETRATION, List.of(8081)), TaskProgress.NONE);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        Map<String, Finding> byId = byId(result.output().findings());
        assertEquals(FindingStatus.FAIL, byId.get("EF-PT-2375").status());
        assertEquals("open", byId.get("EF-PT-2375").evidence());
        assertEquals(FindingStatus.WARN, byId.get("EF-PT-8080").status(), "the image's plain HTTP server");
        assertEquals(FindingStatus.PASS, byId.get("EF-PT-2379").status());
        assertEquals(FindingStatus.PASS, byId.get("EF-PT-8081").status());
        assertEquals("closed", byId.get("EF-PT-8081").evidence());
        assertEquals(FindingStatus.WARN, byId.get("EF-PT-22").status());
        assertTrue(ms < 10_000, "probed in " + ms + " ms");
    }

    @Test
    void penetrationScanOfAStoppedNodeIsAnErrorNeverAPass() throws Exception {
        createNode("n1");
        driver.stop(cluster, "n1");

        TaskResult result = tasks.run(
                EventTypes.SCAN_NODE, scan("n1", NodeTask.ScanKind.PENETRATION, List.of(8081)), TaskProgress.NONE);

        List<Finding> findings = result.output().findings();
        assertFalse(findings.isEmpty());
        assertTrue(
                findings.stream()
                        .allMatch(f -> f.status() == FindingStatus.ERROR
                                && f.evidence().startsWith("node n1 unreachable: ")),
                findings::toString);
        assertTrue(byId(findings).containsKey("EF-PT-8081"), "every check is there, as ERROR");
        assertTrue(
                result.message().contains("0 passed") && result.message().contains("not carried out"),
                result.message());
    }

    @Test
    void conformanceScanShowsWhatDiffersFromTheSpec() throws Exception {
        NodeStatus node = createNode("n1");
        exec(node, "sed", "-i", "s#podCIDR: 192.168.0.0/16#podCIDR: 10.0.0.0/16#", "/etc/edgefleet/bootstrap.yaml");

        TaskResult result = tasks.run(
                EventTypes.SCAN_NODE, scan("n1", NodeTask.ScanKind.CONFORMANCE, List.of()), TaskProgress.NONE);

        Map<String, Finding> byId = byId(result.output().findings());
        assertEquals(FindingStatus.FAIL, byId.get("EF-CF-5.2").status());
        assertEquals(
                "expected 192.168.0.0/16, found 10.0.0.0/16",
                byId.get("EF-CF-5.2").evidence());
        assertEquals(FindingStatus.PASS, byId.get("EF-CF-5.1").status());
        assertEquals(FindingStatus.PASS, byId.get("EF-CF-5.3").status());
        assertEquals(FindingStatus.FAIL, byId.get("EF-CF-4.1").status(), "the bootstrap file's content differs");
        assertTrue(
                byId.get("EF-CF-4.1").evidence().startsWith("content: expected sha256"),
                byId.get("EF-CF-4.1").evidence());
        for (String ok : List.of(
                "EF-CF-1.1",
                "EF-CF-1.2",
                "EF-CF-2.1",
                "EF-CF-2.2",
                "EF-CF-3.1",
                "EF-CF-3.2",
                "EF-CF-4.2",
                "EF-CF-4.3")) {
            assertEquals(FindingStatus.PASS, byId.get(ok).status(), () -> ok + ": " + byId.get(ok));
        }

        // a node that is gone is a finding, not a failure of the scan
        driver.delete(cluster, "n1");
        TaskResult gone = tasks.run(
                EventTypes.SCAN_NODE, scan("n1", NodeTask.ScanKind.CONFORMANCE, List.of()), TaskProgress.NONE);
        assertEquals(FindingStatus.FAIL, gone.output().findings().get(0).status());
    }

    // --- backup and restore

    @Test
    void backupUploadsOneArchiveAndRestorePutsTheDataBack() throws Exception {
        NodeStatus node = createNode("n1");
        exec(
                node,
                "sh",
                "-c",
                "mkdir -p /var/lib/app/sub && echo one > /var/lib/app/a.txt && echo two > /var/lib/app/sub/b.txt"
                        + " && chmod 640 /var/lib/app/a.txt");
        String key = "tenant/" + cluster + "/n1/" + random() + ".tar.gz";
        List<String> steps = new CopyOnWriteArrayList<>();

        TaskResult backup = tasks.run(
                EventTypes.BACKUP_NODE,
                backup("n1", presignPut(BUCKET, key), key, List.of("/var/lib/app", "/var/lib/missing"), true),
                (step, message) -> steps.add(step));

        TaskOutput.Archive archive = backup.output().archive();
        assertEquals(key, archive.objectKey());
        assertEquals(List.of("/var/lib/app", "/etc/edgefleet"), archive.paths());
        assertTrue(backup.message().contains("/var/lib/missing"), backup.message());
        assertEquals(List.of("archiving", "uploading"), steps);
        byte[] stored =
                s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertEquals(archive.sizeBytes(), stored.length);
        assertEquals(archive.sha256(), sha256(stored));
        assertTrue(listTemp().isEmpty(), "temp files removed");

        // the node's data and configuration change; a file appears after the backup
        exec(
                node,
                "sh",
                "-c",
                "echo changed > /var/lib/app/a.txt && echo new > /var/lib/app/added.txt"
                        + " && echo 'changed: true' > /etc/edgefleet/bootstrap.yaml");
        steps.clear();
        TaskResult restored = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key), archive, false),
                (step, message) -> steps.add(step));

        assertEquals(List.of("downloading", "verifying", "saving", "restoring"), steps);
        assertEquals(List.of("/var/lib/app"), restored.output().archive().paths());
        assertEquals("one\n", exec(node, "cat", "/var/lib/app/a.txt"));
        assertEquals("two\n", exec(node, "cat", "/var/lib/app/sub/b.txt"));
        assertEquals(
                "640 0:0",
                exec(node, "stat", "-c", "%a %u:%g", "/var/lib/app/a.txt").trim());
        assertEquals(
                "gone",
                exec(node, "sh", "-c", "[ -e /var/lib/app/added.txt ] && echo there || echo gone")
                        .trim());
        assertEquals(
                "changed: true\n", exec(node, "cat", "/etc/edgefleet/bootstrap.yaml"), "the configuration is kept");

        tasks.run(EventTypes.RESTORE_NODE, restore("n1", presignGet(BUCKET, key), archive, true), TaskProgress.NONE);
        assertEquals(String.format(BOOTSTRAP, cluster), exec(node, "cat", "/etc/edgefleet/bootstrap.yaml"));
        assertEquals(
                "600 0:0",
                exec(node, "stat", "-c", "%a %u:%g", "/etc/edgefleet/bootstrap.yaml")
                        .trim());
        assertTrue(listTemp().isEmpty(), "temp files removed");
    }

    @Test
    void aChangedArchiveIsRefusedBeforeTheNodeIsTouched() throws Exception {
        NodeStatus node = createNode("n1");
        exec(node, "sh", "-c", "mkdir -p /var/lib/app && echo one > /var/lib/app/a.txt");
        String key = "corrupt/" + random() + ".tar.gz";
        TaskOutput.Archive archive = tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n1", presignPut(BUCKET, key), key, List.of("/var/lib/app"), false),
                        TaskProgress.NONE)
                .output()
                .archive();
        exec(node, "sh", "-c", "echo after-backup > /var/lib/app/a.txt");

        s3Client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("not the archive"));
        TaskFailedException e = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.RESTORE_NODE,
                        restore("n1", presignGet(BUCKET, key), archive, false),
                        TaskProgress.NONE));

        assertEquals(
                "checksum mismatch: the archive is corrupted or was changed; nothing was restored", e.getMessage());
        assertEquals("after-backup\n", exec(node, "cat", "/var/lib/app/a.txt"), "the node is untouched");
        assertTrue(listTemp().isEmpty(), "temp files removed");
    }

    @Test
    void aStagedRestoreTouchesNoNodeUntilApplyAndDiscardForgetsTheVerifiedArchive() throws Exception {
        NodeStatus n1 = createNode("n1");
        NodeStatus n2 = createNode("n2");
        exec(n1, "sh", "-c", "mkdir -p /var/lib/app && echo one > /var/lib/app/a.txt");
        exec(n2, "sh", "-c", "mkdir -p /var/lib/app && echo two > /var/lib/app/a.txt");
        String key1 = "staged/" + random() + "/n1.tar.gz";
        String key2 = "staged/" + random() + "/n2.tar.gz";
        TaskOutput.Archive a1 = tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n1", presignPut(BUCKET, key1), key1, List.of("/var/lib/app"), true),
                        TaskProgress.NONE)
                .output()
                .archive();
        TaskOutput.Archive a2 = tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n2", presignPut(BUCKET, key2), key2, List.of("/var/lib/app"), true),
                        TaskProgress.NONE)
                .output()
                .archive();
        exec(n1, "sh", "-c", "echo after-backup-1 > /var/lib/app/a.txt");
        exec(n2, "sh", "-c", "echo after-backup-2 > /var/lib/app/a.txt");
        byte[] tampered =
                s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key2)).asByteArray();
        tampered[tampered.length / 2] ^= 0x5a;
        s3Client.putObject(b -> b.bucket(BUCKET).key(key2), RequestBody.fromBytes(tampered));

        // VERIFY: n1's archive is good and kept, the node untouched; n2's is refused, nothing kept for it
        List<String> steps = new CopyOnWriteArrayList<>();
        TaskResult verified = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.VERIFY),
                (step, message) -> steps.add(step));
        assertEquals(List.of("downloading", "verifying"), steps);
        assertEquals(a1.sha256(), verified.output().archive().sha256());
        assertEquals(List.of("/var/lib/app"), verified.output().archive().paths(), "what APPLY would restore");
        assertTrue(verified.message().contains("nothing restored yet"), verified.message());
        assertEquals("after-backup-1\n", exec(n1, "cat", "/var/lib/app/a.txt"), "VERIFY does not touch the node");
        assertEquals(1, listTemp().size(), "the verified archive is kept: " + listTemp());
        TaskFailedException refused = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.RESTORE_NODE,
                        restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.VERIFY),
                        TaskProgress.NONE));
        assertTrue(refused.getMessage().startsWith("checksum mismatch"), refused.getMessage());
        assertEquals(1, listTemp().size(), "nothing kept of a refused archive: " + listTemp());

        // DISCARD (the restore is called off): the kept archive goes, the nodes keep their data
        TaskResult discarded = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.DISCARD),
                TaskProgress.NONE);
        assertTrue(discarded.message().contains("nothing restored"), discarded.message());
        assertTrue(listTemp().isEmpty(), "the kept archive is gone: " + listTemp());
        assertEquals("after-backup-1\n", exec(n1, "cat", "/var/lib/app/a.txt"));
        assertEquals("after-backup-2\n", exec(n2, "cat", "/var/lib/app/a.txt"));

        // VERIFY then APPLY: the kept archive, checked again, is restored (no second download) and removed
        tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.VERIFY),
                TaskProgress.NONE);
        s3Client.deleteObject(b -> b.bucket(BUCKET).key(key1)); // APPLY must not need the store again
        steps.clear();
        TaskResult applied = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.APPLY),
                (step, message) -> steps.add(step));
        assertEquals(List.of("verifying", "saving", "restoring"), steps);
        assertEquals(List.of("/var/lib/app"), applied.output().archive().paths());
        assertEquals("one\n", exec(n1, "cat", "/var/lib/app/a.txt"));
        assertEquals(1, listTemp().size(), "only the node's state before APPLY is kept, for an UNDO: " + listTemp());
        tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.DISCARD),
                TaskProgress.NONE);
        assertTrue(listTemp().isEmpty(), "temp files removed");

        // APPLY without a kept archive (the gateway restarted in between): downloaded and verified again, and a
        // refused archive leaves the node as it is
        TaskFailedException again = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.RESTORE_NODE,
                        restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.APPLY),
                        TaskProgress.NONE));
        assertTrue(again.getMessage().startsWith("checksum mismatch"), again.getMessage());
        assertEquals("after-backup-2\n", exec(n2, "cat", "/var/lib/app/a.txt"));
        assertTrue(listTemp().isEmpty(), "temp files removed");
    }

    @Test
    void aNodeWhoseRestoreFailsPartWayIsPutBackAndARestoredNodeCanBeUndone() throws Exception {
        NodeStatus n1 = createNode("n1");
        NodeStatus n2 = createNode("n2");
        for (NodeStatus n : List.of(n1, n2)) {
            exec(
                    n,
                    "sh",
                    "-c",
                    "mkdir -p /var/lib/app /srv/data && echo one > /var/lib/app/a.txt"
                            + " && echo bee > /srv/data/b.txt");
        }
        List<String> paths = List.of("/var/lib/app", "/srv/data");
        String key1 = "undo/" + random() + "/n1.tar.gz";
        String key2 = "undo/" + random() + "/n2.tar.gz";
        TaskOutput.Archive a1 = tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n1", presignPut(BUCKET, key1), key1, paths, false),
                        TaskProgress.NONE)
                .output()
                .archive();
        TaskOutput.Archive a2 = tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n2", presignPut(BUCKET, key2), key2, paths, false),
                        TaskProgress.NONE)
                .output()
                .archive();
        // n1 changed so that its second directory cannot be written (its parent became a file): the first one is
        // replaced, the second fails — and the first is put back
        exec(n1, "sh", "-c", "echo after-1 > /var/lib/app/a.txt && rm -rf /srv && echo file > /srv");
        exec(n2, "sh", "-c", "echo after-2 > /var/lib/app/a.txt && rm -rf /srv/data");
        for (var n : List.of(Map.entry("n1", Map.entry(key1, a1)), Map.entry("n2", Map.entry(key2, a2)))) {
            tasks.run(
                    EventTypes.RESTORE_NODE,
                    restore(
                            n.getKey(),
                            presignGet(BUCKET, n.getValue().getKey()),
                            n.getValue().getValue(),
                            false,
                            NodeTask.Stage.VERIFY),
                    TaskProgress.NONE);
        }
        List<String> steps = new CopyOnWriteArrayList<>();
        TaskFailedException failed = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.RESTORE_NODE,
                        restore("n1", presignGet(BUCKET, key1), a1, false, NodeTask.Stage.APPLY),
                        (step, message) -> steps.add(step)));
        assertEquals(List.of("verifying", "saving", "restoring"), steps);
        assertTrue(failed.getMessage().contains("/srv/data"), failed.getMessage());
        assertTrue(
                failed.getMessage().endsWith("; the node was put back as it was before the restore"),
                failed.getMessage());
        assertEquals("after-1\n", exec(n1, "cat", "/var/lib/app/a.txt"), "the replaced directory is put back");
        assertEquals("file\n", exec(n1, "cat", "/srv"));
        assertEquals(1, listTemp().size(), "only n2's verified archive is left: " + listTemp());

        // n2 restores; then the restore is undone there (n1 failed): the node is as it was before its APPLY,
        // the directory the restore brought back is removed again
        TaskResult applied = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.APPLY),
                TaskProgress.NONE);
        assertEquals(paths, applied.output().archive().paths());
        assertEquals("one\n", exec(n2, "cat", "/var/lib/app/a.txt"));
        assertEquals("bee\n", exec(n2, "cat", "/srv/data/b.txt"));
        assertEquals(1, listTemp().size(), "the state before APPLY is kept for an UNDO: " + listTemp());
        TaskResult undone = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.UNDO),
                TaskProgress.NONE);
        assertTrue(undone.message().startsWith("put back as it was before the restore"), undone.message());
        assertEquals("after-2\n", exec(n2, "cat", "/var/lib/app/a.txt"));
        assertEquals("gone\n", exec(n2, "sh", "-c", "[ -e /srv/data ] && echo there || echo gone"));
        assertTrue(listTemp().isEmpty(), "nothing kept after the undo: " + listTemp());
        TaskFailedException twice = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.RESTORE_NODE,
                        restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.UNDO),
                        TaskProgress.NONE));
        assertTrue(twice.getMessage().startsWith("cannot put node n2 back"), twice.getMessage());

        // a restore that went through everywhere ends with DISCARD: the saved state goes, the node keeps the restore
        tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.APPLY),
                TaskProgress.NONE);
        assertEquals(1, listTemp().size(), listTemp().toString());
        TaskResult over = tasks.run(
                EventTypes.RESTORE_NODE,
                restore("n2", presignGet(BUCKET, key2), a2, false, NodeTask.Stage.DISCARD),
                TaskProgress.NONE);
        assertTrue(over.message().contains("no longer kept"), over.message());
        assertTrue(listTemp().isEmpty(), listTemp().toString());
        assertEquals("one\n", exec(n2, "cat", "/var/lib/app/a.txt"));
    }

    @Test
    void objectStoreErrorsAreClearAndNeverShowThePresignedQuery() throws Exception {
        createNode("n1");
        String key = "errors/" + random() + ".tar.gz";

        String noBucket = presignPut("no-such-bucket-" + random(), key);
        TaskFailedException missing = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n1", noBucket, key, List.of("/etc"), false),
                        TaskProgress.NONE));
        assertTrue(missing.getMessage().contains("NoSuchBucket"), missing.getMessage());

        String wrongSecret;
        try (S3Presigner wrong = presigner("not-the-secret")) {
            wrongSecret = wrong.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                            .putObjectRequest(r -> r.bucket(BUCKET).key(key)))
                    .url()
                    .toString();
        }
        TaskFailedException signature = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.BACKUP_NODE,
                        backup("n1", wrongSecret, key, List.of("/etc"), false),
                        TaskProgress.NONE));
        assertTrue(signature.getMessage().contains("SignatureDoesNotMatch"), signature.getMessage());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String down = presignPut(BUCKET, key).replace(":" + s3.port() + "/", ":" + closedPort + "/");
        TaskFailedException unreachable = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.BACKUP_NODE, backup("n1", down, key, List.of("/etc"), false), TaskProgress.NONE));
        assertEquals("object store unreachable at 127.0.0.1:" + closedPort, unreachable.getMessage());

        for (TaskFailedException e : List.of(missing, signature, unreachable)) {
            assertFalse(e.getMessage().contains("X-Amz"), e.getMessage());
        }
        assertTrue(listTemp().isEmpty(), "temp files removed");

        // a payload that does not fit its type, and a hostile path, fail with the reason
        NodeTask both = new NodeTask(
                "cmd-" + random(),
                cluster,
                "n1",
                new NodeTask.Scan(NodeTask.ScanKind.PENETRATION, List.of()),
                new NodeTask.Backup(noBucket, key, List.of("/etc"), false),
                null,
                null);
        assertTrue(assertThrows(
                        TaskFailedException.class, () -> tasks.run(EventTypes.BACKUP_NODE, both, TaskProgress.NONE))
                .getMessage()
                .contains("exactly its 'backup' part"));
        assertTrue(assertThrows(
                        TaskFailedException.class,
                        () -> tasks.run(
                                EventTypes.BACKUP_NODE,
                                backup("n1", noBucket, key, List.of("/var/../etc"), false),
                                TaskProgress.NONE))
                .getMessage()
                .contains("'..'"));
    }

    // --- patch

    @Test
    void aPatchThatNeedsARebootRestartsTheNodeWithoutItLookingLost() throws Exception {
        NodeStatus node = createNode("n1");
        awaitObserved(s -> s.state() == NodeState.RUNNING); // the watch is live
        observed.clear();
        List<String> steps = new CopyOnWriteArrayList<>();

        TaskResult result = tasks.run(
                EventTypes.PATCH_NODE,
                patch("n1", "echo patching; mkdir -p /var/run && touch /var/run/reboot-required; echo done", true, 60),
                (step, message) -> steps.add(step));

        TaskOutput.PatchOutcome outcome = result.output().patch();
        assertEquals(0, outcome.exitCode());
        assertEquals("patching\ndone\n", outcome.output());
        assertTrue(outcome.rebootRequired());
        assertTrue(outcome.rebooted());
        assertEquals(List.of("patching", "rebooting"), steps);
        assertEquals(NodeState.RUNNING, result.node().state());
        assertTrue(Boolean.TRUE.equals(
                docker.inspectContainerCmd(node.ref()).exec().getState().getRunning()));
        assertEquals(
                "gone",
                exec(node, "sh", "-c", "[ -e /var/run/reboot-required ] && echo there || echo gone")
                        .trim());

        NodeStatus after =
                awaitObserved(s -> s.message() != null && s.message().startsWith("restarted by the gateway"));
        assertEquals(NodeState.RUNNING, after.state());
        // Docker's restart is kill, die (exit 0: STOPPED; 137 after a slow stop: FAILED), stop, start; late events
        // of the restart would arrive within the second
        Eventually.stays(
                "no lost or stopped node observed",
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                () -> observed.stream().allMatch(s -> s.state() == NodeState.RUNNING));

        // without a reboot marker nothing restarts; a failing command fails with its output
        TaskResult plain =
                tasks.run(EventTypes.PATCH_NODE, patch("n1", "echo nothing to do", true, 0), TaskProgress.NONE);
        assertFalse(plain.output().patch().rebootRequired());
        assertFalse(plain.output().patch().rebooted());
        TaskFailedException failed = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.PATCH_NODE,
                        patch("n1", "echo broken mirror >&2; exit 3", false, 0),
                        TaskProgress.NONE));
        assertEquals("the patch command failed with exit code 3: broken mirror", failed.getMessage());
        assertEquals(3, failed.output().patch().exitCode());
        assertEquals("broken mirror\n", failed.output().patch().output());
    }

    @Test
    void aPatchThatOutlivesItsTimeoutFails() {
        assertThrows(
                TaskFailedException.class,
                () -> tasks.run(EventTypes.PATCH_NODE, patch("n1", "true", false, -5), TaskProgress.NONE),
                "a negative timeout is refused before anything runs");
        try {
            createNode("n1");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long t0 = System.nanoTime();
        TaskFailedException e = assertThrows(
                TaskFailedException.class,
                () -> tasks.run(
                        EventTypes.PATCH_NODE, patch("n1", "echo started; sleep 30", false, 2), TaskProgress.NONE));
        assertEquals("the patch command did not end within 2 s", e.getMessage());
        assertEquals("started\n", e.output().patch().output());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
    }

    // --- helpers

    private NodeStatus createNode(String nodeId) throws Exception {
        NodeSpec spec = new NodeSpec(
                cluster,
                "workers",
                nodeId,
                NodeRole.WORKER,
                nodeId,
                new NodeSpec.Resources(1, 64, 0, null),
                IMAGE,
                null,
                List.of("ssh-ed25519 AAAAC3Nza ops@edge"),
                Map.of(),
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
                new String(EventJson.write(new NodeCommand(commandId, cluster, nodeId, spec)), StandardCharsets.UTF_8));
        NodeStatus node = driver.create(spec, commandId);
        assertEquals(NodeState.RUNNING, node.state());
        return node;
    }

    private NodeTask scan(String nodeId, NodeTask.ScanKind kind, List<Integer> forbidden) {
        return new NodeTask("scan-" + random(), cluster, nodeId, new NodeTask.Scan(kind, forbidden), null, null, null);
    }

    private NodeTask backup(String nodeId, String url, String key, List<String> paths, boolean configuration) {
        return new NodeTask(
                "backup-" + random(),
                cluster,
                nodeId,
                null,
                new NodeTask.Backup(url, key, paths, configuration),
                null,
                null);
    }

    private NodeTask restore(String nodeId, String url, TaskOutput.Archive archive, boolean configuration) {
        return restore(nodeId, url, archive, configuration, null);
    }

    private NodeTask restore(
            String nodeId, String url, TaskOutput.Archive archive, boolean configuration, NodeTask.Stage stage) {
        return new NodeTask(
                "restore-" + random(),
                cluster,
                nodeId,
                null,
                null,
                new NodeTask.Restore(url, archive.sha256(), archive.sizeBytes(), configuration, stage),
                null);
    }

    private NodeTask patch(String nodeId, String command, boolean reboot, int timeout) {
        return new NodeTask(
                "patch-" + random(), cluster, nodeId, null, null, null, new NodeTask.Patch(command, reboot, timeout));
    }

    private static S3Presigner presigner(String secret) {
        return S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
                .endpointOverride(URI.create(s3.endpoint()))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private static String presignPut(String bucket, String key) {
        return presigner
                .presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .putObjectRequest(r -> r.bucket(bucket).key(key)))
                .url()
                .toString();
    }

    private static String presignGet(String bucket, String key) {
        return presigner
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                        .getObjectRequest(r -> r.bucket(bucket).key(key)))
                .url()
                .toString();
    }

    private List<Path> listTemp() throws Exception {
        try (var files = Files.list(home.resolve("state").resolve("tasks"))) {
            return files.toList();
        }
    }

    private NodeStatus awaitObserved(Predicate<NodeStatus> match) {
        return Awaitility.await("a node status of cluster " + cluster)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> observed.stream()
                                .filter(s -> cluster.equals(s.clusterId()) && match.test(s))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private static Map<String, Finding> byId(List<Finding> findings) {
        Map<String, Finding> byId = new HashMap<>();
        findings.forEach(f -> byId.put(f.checkId(), f));
        return byId;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs a command in the node (the tests' own access, independent of the gateway's); fails unless it exits 0. */
    private static String exec(NodeStatus node, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(node.ref())
                .withCmd(command)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec()
                .getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        docker.execStartCmd(id)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                    }
                })
                .awaitCompletion(30, TimeUnit.SECONDS);
        Long exit = docker.inspectExecCmd(id).exec().getExitCodeLong();
        assertEquals(0L, exit, () -> String.join(" ", command) + " failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
