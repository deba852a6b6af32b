package io.edgefleet.console.runs;

import io.edgefleet.sdk.model.BackupSummary;
import io.edgefleet.sdk.model.NodeTaskStatus;
import io.edgefleet.sdk.model.NodeTaskView;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RunKind;
import io.edgefleet.sdk.model.RunStatus;
import io.edgefleet.sdk.model.RunView;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupOffersTest {

    @Test
    void backUpNowOffersTheBackupPoliciesNamingTheCluster() {
        PolicyView nightly = policy("nightly", PolicyKind.BACKUP, List.of("c1", "c2"));
        PolicyView other = policy("other-cluster", PolicyKind.BACKUP, List.of("c2"));
        PolicyView scan = policy("scan", PolicyKind.SCAN, List.of("c1"));
        PolicyView none = policy("none", PolicyKind.BACKUP, null);
        assertEquals(List.of(nightly), BackupOffers.policiesFor(List.of(nightly, other, scan, none), "c1"));
        assertTrue(BackupOffers.policiesFor(List.of(other, scan), "c1").isEmpty());
    }

    @Test
    void onlyASucceededBackupWithItsArchivesIsRestorable() {
        assertTrue(BackupOffers.restorable(backup(RunStatus.SUCCEEDED)));
        assertNull(BackupOffers.whyNotRestorable(backup(RunStatus.SUCCEEDED)));
        for (RunStatus status : List.of(RunStatus.SKIPPED, RunStatus.RUNNING, RunStatus.FAILED, RunStatus.EXPIRED)) {
            assertFalse(BackupOffers.restorable(backup(status)), status.toString());
        }
        assertTrue(BackupOffers.whyNotRestorable(backup(RunStatus.SKIPPED)).contains("SKIPPED"));
        assertTrue(BackupOffers.whyNotRestorable(backup(RunStatus.EXPIRED)).contains("retention"));
        RunView swept = backup(RunStatus.SUCCEEDED);
        swept.getBackup().deletedFromStoreAt(OffsetDateTime.now());
        assertFalse(BackupOffers.restorable(swept));
        assertTrue(BackupOffers.whyNotRestorable(swept).contains("retention"));
        // a restore run is not a backup
        assertFalse(BackupOffers.restorable(backup(RunStatus.SUCCEEDED).kind(RunKind.RESTORE)));
    }

    @Test
    void aRunIsFollowedLiveWhileRunningAndItsProgressCountsFinishedNodes() {
        RunView restore = backup(RunStatus.RUNNING)
                .kind(RunKind.RESTORE)
                .nodes(List.of(
                        new NodeTaskView().nodeId("m0").status(NodeTaskStatus.SUCCEEDED),
                        new NodeTaskView()
                                .nodeId("w0")
                                .status(NodeTaskStatus.RUNNING)
                                .step("verifying"),
                        new NodeTaskView().nodeId("w1").status(NodeTaskStatus.SKIPPED)));
        assertTrue(BackupOffers.live(restore));
        assertEquals("2 of 3 nodes done", BackupOffers.progress(restore));
        assertFalse(BackupOffers.live(restore.status(RunStatus.SUCCEEDED)));
        assertFalse(BackupOffers.live(restore.status(RunStatus.FAILED)));
        assertEquals("no node tasks", BackupOffers.progress(backup(RunStatus.SKIPPED)));
    }

    @Test
    void sizesReadAsPeopleReadThem() {
        assertEquals("–", BackupOffers.size(null));
        assertEquals("512 B", BackupOffers.size(512L));
        assertEquals("1.5 KiB", BackupOffers.size(1536L));
        assertEquals("20.0 MiB", BackupOffers.size(20L << 20));
        assertEquals("3.0 GiB", BackupOffers.size(3L << 30));
    }

    private static PolicyView policy(String name, PolicyKind kind, List<String> clusters) {
        return new PolicyView().id(UUID.randomUUID()).name(name).kind(kind).clusterIds(clusters);
    }

    private static RunView backup(RunStatus status) {
        return new RunView()
                .id(UUID.randomUUID())
                .kind(RunKind.BACKUP)
                .clusterId("c1")
                .status(status)
                .backup(new BackupSummary().endpoint("http://s3").location("s3://b/p/"));
    }
}
