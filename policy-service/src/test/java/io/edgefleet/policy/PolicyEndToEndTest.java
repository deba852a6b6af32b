package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.testsupport.Eventually;
import io.edgefleet.testsupport.S3Server;
import io.edgefleet.testsupport.S3TestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.edgefleet.policy.Api.admin;
import static io.edgefleet.policy.Api.awaitEnd;
import static io.edgefleet.policy.Api.viewer;
import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policies carried out for real: policy-service with real Kafka, PostgreSQL and S3 server, a real gateway
 * on the real Docker engine, and two containerized clusters (a master and a worker each) built on it the
 * way cluster-service builds them. Scans find problems planted on purpose; backups land in the object
 * store and come back; retention deletes; a corrupted archive fails the whole restore (no node is touched); a bad
 * store fails with its reason;
 * OS patches go node by node.
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyEndToEndTest {

    private static final Duration RUN = Duration.ofSeconds(90);

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Clusters clusters;
    EdgeSite site;
    S3Server s3;
    String a;
    String b;

    @BeforeAll
    void site() {
        s3 = S3TestResource.server();
        s3.createBucket("backups");
        clusters = new Clusters(db);
        site = new EdgeSite(TENANT_A, "policy-site-1");
        site.startGateway();
        a = Clusters.newId();
        b = Clusters.newId();
        clusters.publish(TENANT_A, a, ClusterStatus.RUNNING, site.buildCluster(a));
        clusters.publish(TENANT_A, b, ClusterStatus.RUNNING, site.buildCluster(b));
        site.sh(a, a + "-m0", "mkdir -p /var/lib/edgefleet && echo v1 > /var/lib/edgefleet/state.txt");
        site.sh(a, a + "-w0", "mkdir -p /var/lib/edgefleet && echo w1 > /var/lib/edgefleet/state.txt");
    }

    @AfterAll
    void close() {
        if (site != null) {
            site.close();
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    private String policy(Map<String, Object> body) {
        return admin(TENANT_A)
                .body(body)
                .post("/v1/policies")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private String runNow(String policyId, String clusterId) {
        return admin(TENANT_A)
                .body(Map.of("clusterId", clusterId))
                .post("/v1/policies/" + policyId + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("[0].id");
    }

    private Map<String, Object> store(String bucket, String secret) {
        return Map.of(
                "endpoint",
                s3.endpoint(),
                "bucket",
                bucket,
                "prefix",
                "edgefleet",
                "accessKeyId",
                s3.accessKey(),
                "secretAccessKey",
                secret);
    }

    /** The findings of one node and scan kind. */
    private static List<Map<String, Object>> findings(JsonPath scan, String nodeId, String kind) {
        return scan.getList(
                "nodes.findAll { it.nodeId == '" + nodeId + "' && it.scanKind == '" + kind + "' }.findings.flatten()");
    }

    @Test
    @Order(1)
    void anOnDemandScanFindsWhatWasPlanted() {
        // planted: the bootstrap file readable by everyone on the master, a Docker API port open on the worker
        site.sh(a, a + "-m0", "chmod 644 /etc/edgefleet/bootstrap.yaml");
        site.sh(a, a + "-w0", "httpd -p 2375 -h /tmp");
        String id = admin(TENANT_A)
                .body(Map.of(
                        "clusterId",
                        a,
                        "scan",
                        Map.of("kinds", List.of("CONFIGURATION_SECURITY", "PENETRATION", "CONFORMANCE"))))
                .post("/v1/scans")
                .then()
                .statusCode(202)
                .body("status", equalTo("RUNNING"))
                .extract()
                .path("id");
        JsonPath scan = awaitEnd(TENANT_A, "/v1/scans/" + id, RUN);
        assertEquals("SUCCEEDED", scan.getString("status"), scan.prettify());
        assertEquals(6, scan.getList("nodes").size(), "2 nodes x 3 scans");

        List<Map<String, Object>> masterConfig = findings(scan, a + "-m0", "CONFIGURATION_SECURITY");
        assertTrue(
                masterConfig.stream()
                        .anyMatch(f -> "FAIL".equals(f.get("status"))
                                && String.valueOf(f.get("evidence")).contains("644")),
                () -> "the bootstrap's mode fails on the master: " + masterConfig);
        List<Map<String, Object>> workerConfig = findings(scan, a + "-w0", "CONFIGURATION_SECURITY");
        assertTrue(
                workerConfig.stream().noneMatch(f -> "FAIL".equals(f.get("status"))),
                () -> "the worker is clean: " + workerConfig);
        List<Map<String, Object>> workerPorts = findings(scan, a + "-w0", "PENETRATION");
        assertTrue(
                workerPorts.stream()
                        .anyMatch(f -> "FAIL".equals(f.get("status"))
                                && (f.get("checkId") + " " + f.get("title") + " " + f.get("evidence"))
                                        .contains("2375")),
                () -> "port 2375 flagged on the worker: " + workerPorts);
        List<Map<String, Object>> masterPorts = findings(scan, a + "-m0", "PENETRATION");
        assertTrue(
                masterPorts.stream().noneMatch(f -> "FAIL".equals(f.get("status"))),
                () -> "the master exposes nothing forbidden: " + masterPorts);
        assertTrue(scan.getInt("scan.fail") >= 2);
        assertTrue(scan.getInt("scan.pass") > 0);

        // the report downloads as JSON and CSV, one row per node and check
        int rows = scan.getList("nodes.findings.flatten()").size();
        admin(TENANT_A)
                .get("/v1/scans/" + id + "/report")
                .then()
                .statusCode(200)
                .body("findings.size()", equalTo(rows))
                .header("Content-Disposition", containsString("scan-" + id + ".json"));
        String csv = viewer(TENANT_A)
                .accept("text/csv")
                .get("/v1/scans/" + id + "/report")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        assertEquals(rows + 1, csv.split("\r\n").length);
        assertTrue(csv.startsWith("node_id,appliance_uid,scan,check_id,title,status,evidence"));
        assertTrue(csv.contains("\"" + a + "-m0\",\"" + site.uid() + "\",\"CONFIGURATION_SECURITY\""));

        site.sh(a, a + "-m0", "chmod 600 /etc/edgefleet/bootstrap.yaml");
        site.sh(a, a + "-w0", "pkill -f 'httpd -p 2375' || true");
    }

    @Test
    @Order(2)
    void aScheduledScanRunsWhenItsTimeComes() {
        String id = policy(Map.of(
                "name",
                "daily-conformance",
                "kind",
                "SCAN",
                "clusterIds",
                List.of(a),
                "schedule",
                Map.of("cron", "0 3 * * *", "timeZone", "UTC"),
                "scan",
                Map.of("kinds", List.of("CONFORMANCE"))));
        assertEquals(
                0,
                viewer(TENANT_A)
                        .get("/v1/policies/" + id + "/runs")
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("total"));
        // planted: the worker's bootstrap says another Kubernetes version than it was created with
        site.sh(a, a + "-w0", "sed -i 's/version: 1.30.4/version: 1.29.0/' /etc/edgefleet/bootstrap.yaml");
        // as if 03:00 had come
        assertEquals(
                1,
                clusters.update(
                        "update policy.policy set next_run_at = now() - interval '1 second' where id = ?::uuid", id));
        JsonPath runs = Eventually.value(
                RUN,
                Duration.ofMillis(200),
                () -> viewer(TENANT_A)
                        .get("/v1/policies/" + id + "/runs")
                        .then()
                        .extract()
                        .jsonPath(),
                r -> r.getInt("total") > 0);
        assertEquals(1, runs.getInt("total"), "one run per due time");
        assertEquals("SCHEDULED", runs.getString("items[0].trigger"));
        JsonPath scan = awaitEnd(TENANT_A, "/v1/scans/" + runs.getString("items[0].id"), RUN);
        assertEquals("SUCCEEDED", scan.getString("status"), scan.prettify());
        List<Map<String, Object>> drift = findings(scan, a + "-w0", "CONFORMANCE");
        assertTrue(
                drift.stream()
                        .anyMatch(f -> "FAIL".equals(f.get("status"))
                                && String.valueOf(f.get("evidence")).contains("1.30.4")
                                && String.valueOf(f.get("evidence")).contains("1.29.0")),
                () -> "the version drift is found, expected and found: " + drift);
        assertTrue(
                findings(scan, a + "-m0", "CONFORMANCE").stream().noneMatch(f -> "FAIL".equals(f.get("status"))),
                () -> "the master matches its spec: " + scan.prettify());
        site.sh(
                a,
                a + "-w0",
                "sed -i 's/version: 1.29.0/version: 1.30.4/' /etc/edgefleet/bootstrap.yaml && chmod 600 /etc/edgefleet/bootstrap.yaml");
        Instant next = Instant.parse(
                viewer(TENANT_A).get("/v1/policies/" + id).then().extract().path("nextRunAt"));
        assertTrue(next.isAfter(Instant.now()), "the next run is tomorrow at 03:00");
    }

    @Test
    @Order(3)
    void aTriggerWhileARunIsUnderWayIsSkipped() {
        String id = policy(Map.of(
                "name",
                "overlap-scan",
                "kind",
                "SCAN",
                "clusterIds",
                List.of(a),
                "scan",
                Map.of("kinds", List.of("CONFIGURATION_SECURITY"))));
        site.stopGateway(); // the first run cannot finish while its gateway is away
        String first;
        try {
            first = runNow(id, a);
            admin(TENANT_A)
                    .body(Map.of("clusterId", a))
                    .post("/v1/policies/" + id + "/runs")
                    .then()
                    .statusCode(202)
                    .body("[0].status", equalTo("SKIPPED"))
                    .body("[0].reason", containsString(first));
            admin(TENANT_A)
                    .body(Map.of("clusterId", a, "scan", Map.of("kinds", List.of("PENETRATION"))))
                    .post("/v1/scans")
                    .then()
                    .statusCode(202)
                    .body("status", equalTo("SKIPPED"));
        } finally {
            site.startGateway();
        }
        // the gateway back, the first run finishes; the skipped one never ran
        assertEquals("SUCCEEDED", awaitEnd(TENANT_A, "/v1/scans/" + first, RUN).getString("status"));
        assertEquals(
                1,
                viewer(TENANT_A)
                        .get("/v1/policies/" + id + "/runs?status=SKIPPED")
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("total"));
    }

    @Test
    @Order(4)
    void aBackupComesBackIntoItsClusterAndIntoAnother() throws Exception {
        String id = policy(Map.of(
                "name",
                "backup-a",
                "kind",
                "BACKUP",
                "clusterIds",
                List.of(a),
                "backup",
                Map.of("store", store("backups", s3.secretKey()), "retention", Map.of("count", 2))));
        JsonPath backup = awaitEnd(TENANT_A, "/v1/backups/" + runNow(id, a), RUN);
        assertEquals("SUCCEEDED", backup.getString("status"), backup.prettify());
        List<Map<String, Object>> archives = backup.getList("backup.archives");
        assertEquals(2, archives.size());
        long total = 0;
        for (Map<String, Object> archive : archives) {
            Path object = s3.dataDir().resolve("backups").resolve((String) archive.get("objectKey"));
            assertTrue(Files.isRegularFile(object), "archive in the store: " + object);
            assertEquals(((Number) archive.get("sizeBytes")).longValue(), Files.size(object));
            assertEquals(archive.get("sha256"), sha256(object));
            total += Files.size(object);
        }
        assertEquals(total, backup.getLong("backup.sizeBytes"));
        assertTrue(
                backup.getString("backup.location").startsWith("s3://backups/edgefleet/" + TENANT_A + "/" + a + "/"));

        // the data changes after the backup; the restore puts it back as it was
        site.sh(a, a + "-m0", "echo v2 > /var/lib/edgefleet/state.txt && echo new > /var/lib/edgefleet/extra.txt");
        String restore = admin(TENANT_A)
                .body(Map.of("backupId", backup.getString("id")))
                .post("/v1/restores")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath restored = awaitEnd(TENANT_A, "/v1/restores/" + restore, RUN);
        assertEquals("SUCCEEDED", restored.getString("status"), restored.prettify());
        assertEquals(backup.getString("id"), restored.getString("restore.backupId"));
        assertEquals(
                "v1", site.sh(a, a + "-m0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals(
                "w1", site.sh(a, a + "-w0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals(
                "gone",
                site.sh(a, a + "-m0", "test -e /var/lib/edgefleet/extra.txt && echo there || echo gone")
                        .trim());

        // into another cluster: the data comes, the other cluster keeps its own configuration
        String other = admin(TENANT_A)
                .body(Map.of("backupId", backup.getString("id"), "clusterId", b))
                .post("/v1/restores")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath intoB = awaitEnd(TENANT_A, "/v1/restores/" + other, RUN);
        assertEquals("SUCCEEDED", intoB.getString("status"), intoB.prettify());
        assertEquals(
                "v1", site.sh(b, b + "-m0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals(
                "w1", site.sh(b, b + "-w0", "cat /var/lib/edgefleet/state.txt").trim());
        assertTrue(site.sh(b, b + "-m0", "cat /etc/edgefleet/bootstrap.yaml").contains("id: " + b));
        viewer(TENANT_A)
                .get("/v1/restores?clusterId=" + b)
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
    }

    @Test
    @Order(5)
    void retentionDeletesTheOldestArchivesFromTheStore() {
        String id = viewer(TENANT_A)
                .get("/v1/policies?kind=BACKUP")
                .then()
                .extract()
                .path("items.find { it.name == 'backup-a' }.id");
        awaitEnd(TENANT_A, "/v1/backups/" + runNow(id, a), RUN);
        awaitEnd(TENANT_A, "/v1/backups/" + runNow(id, a), RUN);
        JsonPath all = viewer(TENANT_A)
                .get("/v1/policies/" + id + "/runs")
                .then()
                .extract()
                .jsonPath();
        assertEquals(3, all.getInt("total"));
        String oldest = all.getString("items[2].id");
        List<String> oldKeys =
                viewer(TENANT_A).get("/v1/backups/" + oldest).then().extract().path("backup.archives.objectKey");
        awaitEnd(TENANT_A, "/v1/backups/" + oldest, RUN); // ended long ago; now wait for EXPIRED
        JsonPath expired = Eventually.value(
                RUN,
                Duration.ofMillis(300),
                () -> viewer(TENANT_A)
                        .get("/v1/backups/" + oldest)
                        .then()
                        .extract()
                        .jsonPath(),
                b -> "EXPIRED".equals(b.getString("status")));
        assertEquals("EXPIRED", expired.getString("status"), expired.prettify());
        assertFalse(expired.getString("backup.deletedFromStoreAt").isEmpty());
        oldKeys.forEach(
                k -> assertFalse(Files.exists(s3.dataDir().resolve("backups").resolve(k)), "deleted: " + k));
        // the two newest stay, and an expired backup cannot be restored
        assertEquals(
                2,
                viewer(TENANT_A)
                        .get("/v1/backups?clusterId=" + a + "&status=SUCCEEDED")
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("total"));
        admin(TENANT_A)
                .body(Map.of("backupId", oldest))
                .post("/v1/restores")
                .then()
                .statusCode(409)
                .body("detail", containsString("retention"));
    }

    @Test
    @Order(6)
    void aCorruptedArchiveFailsTheWholeRestoreAndNoNodeIsTouched() throws Exception {
        String newest = viewer(TENANT_A)
                .get("/v1/backups?clusterId=" + a + "&status=SUCCEEDED")
                .then()
                .extract()
                .path("items[0].id");
        String key = viewer(TENANT_A)
                .get("/v1/backups/" + newest)
                .then()
                .extract()
                .path("backup.archives.find { it.nodeId == '" + a + "-m0' }.objectKey");
        Path object = s3.dataDir().resolve("backups").resolve(key);
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 0x5a; // one flipped byte in the store, in the master's archive only
        Files.write(object, bytes);
        // both nodes' data changed since the backup; the worker's archive is intact
        site.sh(a, a + "-m0", "echo v3 > /var/lib/edgefleet/state.txt");
        site.sh(a, a + "-w0", "echo w3 > /var/lib/edgefleet/state.txt");

        String restore = admin(TENANT_A)
                .body(Map.of("backupId", newest))
                .post("/v1/restores")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath refused = awaitEnd(TENANT_A, "/v1/restores/" + restore, RUN);
        assertEquals("FAILED", refused.getString("status"), refused.prettify());
        String reason = refused.getString("reason");
        assertTrue(
                reason.contains("node " + a + "-m0") && reason.contains(key), "names the node and archive: " + reason);
        assertTrue(reason.toLowerCase().contains("checksum"), reason);
        assertTrue(reason.contains("no node was restored"), reason);
        assertEquals(
                "FAILED", refused.getString("nodes.find { it.nodeId == '" + a + "-m0' }.status"), refused.prettify());
        assertEquals(
                "SKIPPED",
                refused.getString("nodes.find { it.nodeId == '" + a + "-w0' }.status"),
                "the worker's archive was verified, but it is not restored alone: " + refused.prettify());
        assertEquals(
                "v3",
                site.sh(a, a + "-m0", "cat /var/lib/edgefleet/state.txt").trim(),
                "nothing restored from a corrupted archive");
        assertEquals(
                "w3",
                site.sh(a, a + "-w0", "cat /var/lib/edgefleet/state.txt").trim(),
                "the other node is not restored either: the cluster is never left half restored");
        // the worker's verified archive does not stay on the appliance
        Eventually.value(RUN, Duration.ofMillis(200), site::taskFiles, List::isEmpty);
        assertEquals(List.of(), site.taskFiles());
    }

    @Test
    @Order(7)
    void aNodeThatCannotBeRestoredPutsTheRestoredOnesBackAndTheRunFails() throws Exception {
        String id = policy(Map.of(
                "name",
                "backup-two-directories",
                "kind",
                "BACKUP",
                "clusterIds",
                List.of(a),
                "backup",
                Map.of(
                        "store",
                        store("backups", s3.secretKey()),
                        "paths",
                        List.of("/var/lib/edgefleet", "/srv/data"),
                        "retention",
                        Map.of("count", 2))));
        site.sh(a, a + "-m0", "echo v5 > /var/lib/edgefleet/state.txt && mkdir -p /srv/data && echo s > /srv/data/s");
        site.sh(a, a + "-w0", "echo w5 > /var/lib/edgefleet/state.txt && mkdir -p /srv/data && echo s > /srv/data/s");
        JsonPath backup = awaitEnd(TENANT_A, "/v1/backups/" + runNow(id, a), RUN);
        assertEquals("SUCCEEDED", backup.getString("status"), backup.prettify());
        // since the backup: both nodes' data changed, and on the master /srv became a file — its /srv/data cannot be
        // written back, after its /var/lib/edgefleet was (the archive's first directory)
        site.sh(a, a + "-m0", "echo v6 > /var/lib/edgefleet/state.txt && rm -rf /srv && echo file > /srv");
        site.sh(a, a + "-w0", "echo w6 > /var/lib/edgefleet/state.txt && rm -rf /srv/data");

        String restore = admin(TENANT_A)
                .body(Map.of("backupId", backup.getString("id")))
                .post("/v1/restores")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath failed = awaitEnd(TENANT_A, "/v1/restores/" + restore, RUN);
        assertEquals("FAILED", failed.getString("status"), failed.prettify());
        String reason = failed.getString("reason");
        assertTrue(reason.startsWith("node " + a + "-m0: ") && reason.contains("/srv/data"), reason);
        assertTrue(reason.endsWith("the 1 node(s) restored before it were put back as they were"), reason);
        assertEquals("FAILED", failed.getString("nodes.find { it.nodeId == '" + a + "-m0' }.status"));
        assertTrue(
                failed.getString("nodes.find { it.nodeId == '" + a + "-w0' }.message")
                        .startsWith("put back as it was before the restore"),
                failed.prettify());
        // neither node is half restored: each is as it was before the restore
        assertEquals(
                "v6", site.sh(a, a + "-m0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals("file", site.sh(a, a + "-m0", "cat /srv").trim());
        assertEquals(
                "w6", site.sh(a, a + "-w0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals(
                "gone",
                site.sh(a, a + "-w0", "test -e /srv/data && echo there || echo gone")
                        .trim());
        Eventually.value(RUN, Duration.ofMillis(200), site::taskFiles, List::isEmpty);

        // repaired, the same backup restores everywhere, and the gateways keep nothing of it afterwards
        site.sh(a, a + "-m0", "rm -f /srv && mkdir -p /srv");
        String again = admin(TENANT_A)
                .body(Map.of("backupId", backup.getString("id")))
                .post("/v1/restores")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath restored = awaitEnd(TENANT_A, "/v1/restores/" + again, RUN);
        assertEquals("SUCCEEDED", restored.getString("status"), restored.prettify());
        assertEquals(
                "v5", site.sh(a, a + "-m0", "cat /var/lib/edgefleet/state.txt").trim());
        assertEquals("s", site.sh(a, a + "-w0", "cat /srv/data/s").trim());
        Eventually.value(RUN, Duration.ofMillis(200), site::taskFiles, List::isEmpty);
        assertEquals(List.of(), site.taskFiles(), "the saved states are deleted once every node was restored");
    }

    @Test
    @Order(8)
    void aWrongKeyOrAMissingBucketFailsTheBackupWithTheStoresReason() throws Exception {
        List<Path> before;
        try (var files = Files.walk(s3.dataDir().resolve("backups"))) {
            before = files.filter(Files::isRegularFile).toList();
        }
        String wrongKey = policy(Map.of(
                "name",
                "backup-wrong-key",
                "kind",
                "BACKUP",
                "clusterIds",
                List.of(a),
                "backup",
                Map.of("store", store("backups", "not-the-secret"))));
        JsonPath denied = awaitEnd(TENANT_A, "/v1/backups/" + runNow(wrongKey, a), RUN);
        assertEquals("FAILED", denied.getString("status"));
        assertTrue(denied.getString("reason").contains("SignatureDoesNotMatch"), denied.getString("reason"));

        String noBucket = policy(Map.of(
                "name",
                "backup-no-bucket",
                "kind",
                "BACKUP",
                "clusterIds",
                List.of(a),
                "backup",
                Map.of("store", store("no-such-bucket", s3.secretKey()))));
        JsonPath missing = awaitEnd(TENANT_A, "/v1/backups/" + runNow(noBucket, a), RUN);
        assertEquals("FAILED", missing.getString("status"));
        assertTrue(missing.getString("reason").contains("NoSuchBucket"), missing.getString("reason"));

        String unreachable = policy(Map.of(
                "name",
                "backup-unreachable",
                "kind",
                "BACKUP",
                "clusterIds",
                List.of(a),
                "backup",
                Map.of(
                        "store",
                        Map.of(
                                "endpoint",
                                "http://127.0.0.1:9",
                                "bucket",
                                "backups",
                                "accessKeyId",
                                "ak",
                                "secretAccessKey",
                                "sk"))));
        JsonPath away = awaitEnd(TENANT_A, "/v1/backups/" + runNow(unreachable, a), RUN);
        assertEquals("FAILED", away.getString("status"));
        assertTrue(away.getString("reason").contains("127.0.0.1:9"), away.getString("reason"));

        // earlier backups are untouched
        before.forEach(p -> assertTrue(Files.exists(p), "still there: " + p));
    }

    @Test
    @Order(9)
    void anOsPatchGoesOneNodeAtATimeAndRebootsWhenAsked() {
        String id = policy(Map.of(
                "name",
                "os-patch",
                "kind",
                "OS_PATCH",
                "clusterIds",
                List.of(b),
                "patch",
                Map.of(
                        "mode",
                        "NODE_COMMAND",
                        "command",
                        "mkdir -p /var/lib/edgefleet /var/run && echo patched > /var/lib/edgefleet/os-level && touch /var/run/reboot-required",
                        "rebootIfRequired",
                        true,
                        "timeoutSeconds",
                        60)));
        String runId = runNow(id, b);
        JsonPath run = awaitEnd(TENANT_A, "/v1/policies/" + id + "/runs/" + runId, RUN);
        assertEquals("SUCCEEDED", run.getString("status"), run.prettify());
        List<Map<String, Object>> nodes = run.getList("nodes");
        assertEquals(2, nodes.size());
        for (Map<String, Object> n : nodes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> patch = (Map<String, Object>) n.get("patch");
            assertEquals(0, patch.get("exitCode"));
            assertEquals(true, patch.get("rebooted"), () -> "rebooted: " + n);
        }
        // one at a time: the second was sent only after the first had finished
        assertFalse(Instant.parse((String) nodes.get(1).get("sentAt"))
                .isBefore(Instant.parse((String) nodes.get(0).get("finishedAt"))));
        assertTrue(site.running(b, b + "-m0") && site.running(b, b + "-w0"));
        assertEquals(
                "patched",
                site.sh(b, b + "-w0", "cat /var/lib/edgefleet/os-level").trim());

        // a failing patch stops at the first node
        String failing = policy(Map.of(
                "name",
                "os-patch-broken",
                "kind",
                "OS_PATCH",
                "clusterIds",
                List.of(b),
                "patch",
                Map.of("mode", "NODE_COMMAND", "command", "echo no space left >&2; exit 3")));
        String brokenRun = runNow(failing, b);
        JsonPath broken = awaitEnd(TENANT_A, "/v1/policies/" + failing + "/runs/" + brokenRun, RUN);
        assertEquals("FAILED", broken.getString("status"));
        assertEquals(List.of("FAILED", "SKIPPED"), broken.getList("nodes.status"));
        assertEquals(3, broken.getInt("nodes[0].patch.exitCode"));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
