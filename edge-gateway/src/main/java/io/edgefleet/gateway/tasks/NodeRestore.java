package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RESTORE: downloads the archive, checks its size and SHA-256 and every entry before the node is
 * touched, then replaces each archived directory in the node with the archived one. /etc/edgefleet only
 * when {@code restoreConfiguration} (a different cluster keeps its own). Running it again after a crash
 * repeats the same replacement: safe.
 * <p>
 * policy-service restores a cluster all or nothing, in {@link NodeTask.Stage stages}: {@code VERIFY} downloads and
 * verifies the archive and keeps it under the task directory (one per node) without touching the node; {@code APPLY}
 * restores the node from the kept archive once every node's was verified, after checking its size and SHA-256 again
 * (when it is gone, e.g. the gateway restarted in between, it is downloaded and verified again: a failure then leaves
 * this node as it is); {@code DISCARD} forgets it when another node's archive failed. Without a stage the three
 * steps run in one go.
 * <p>
 * Restoring a node saves the directories it replaces first (a {@link NodeBackup#snapshot} on the appliance). When
 * writing any of them fails, the node is put back from it at once, so a node is never left half-restored. After a
 * staged APPLY the saved state stays until policy-service says how the restore ended: {@code UNDO} (another node's
 * APPLY failed) puts the node back as it was, {@code DISCARD} (every node was restored) deletes it.
 */
final class NodeRestore {

    private static final Logger LOG = Logger.getLogger(NodeRestore.class);
    /** Larger archives are refused before the download: an appliance's disk is small. */
    static final long MAX_ARCHIVE_BYTES = 64L * 1024 * 1024 * 1024;
    /** Empties a directory (or removes it) and makes sure its parent exists; $1 the directory, $2 its parent. */
    private static final String CLEAR = "find \"$1\" -mindepth 1 -maxdepth 1 -exec rm -rf {} \\; 2>/dev/null;"
            + " rmdir \"$1\" 2>/dev/null; mkdir -p \"$2\"";

    private final TempFiles temp;
    private final ObjectStoreClient store;
    private final NodeBackup backup;

    NodeRestore(TempFiles temp, ObjectStoreClient store, NodeBackup backup) {
        this.temp = temp;
        this.store = store;
        this.backup = backup;
    }

    /** An archive whose size, SHA-256 and entries were checked. */
    private record Verified(Path file, long sizeBytes, String sha256, BackupArchive.Manifest manifest) {}

    /** One kept archive per node (ids are checked names: letters, digits, '-'). */
    private Path kept(String clusterId, String nodeId) {
        return temp.path("restore-" + clusterId + "-" + nodeId + ".verified.tar.gz");
    }

    /** The node's directories as they were before APPLY replaced them, kept for an UNDO. */
    private Path saved(String clusterId, String nodeId) {
        return temp.path("restore-" + clusterId + "-" + nodeId + ".before.tar.gz");
    }

    /**
     * DISCARD: the restore is over — called off before APPLY (another node's archive failed), or every node was
     * restored. What the gateway keeps for it goes (the verified archive, the node's state before APPLY); the node
     * (in any state, or gone: {@code node} null) is not looked at.
     */
    TaskResult discard(String clusterId, String nodeId, NodeStatus node) {
        Path kept = kept(clusterId, nodeId);
        Path saved = saved(clusterId, nodeId);
        boolean verified = Files.exists(kept);
        boolean restored = Files.exists(saved);
        temp.delete(kept);
        temp.delete(saved);
        LOG.infof(
                "restore into node %s is over: %s",
                nodeId, verified || restored ? "what the gateway kept for it is deleted" : "nothing was kept");
        return new TaskResult(
                node,
                null,
                restored
                        ? "the restore is over: the node's state before it is no longer kept"
                        : "nothing restored: the restore was called off (another node's archive failed)");
    }

    /** UNDO: another node's APPLY failed; this node, restored, is put back as it was before its APPLY. */
    private TaskResult undo(NodeAccess node, String clusterId, TaskProgress progress) throws TaskFailedException {
        String nodeId = node.status().nodeId();
        Path saved = saved(clusterId, nodeId);
        if (!Files.isRegularFile(saved)) {
            throw new TaskFailedException("cannot put node " + nodeId + " back: its state before the restore is not"
                    + " kept on this appliance (it was never restored, or already put back)");
        }
        progress.step("undoing", "putting node " + nodeId + " back as it was before the restore");
        List<String> paths = putBack(node, saved);
        temp.delete(saved);
        LOG.infof("node %s put back as it was before the restore (%s)", nodeId, paths);
        return new TaskResult(
                node.status(),
                new TaskOutput(null, new TaskOutput.Archive(null, 0, null, paths), null),
                "put back as it was before the restore (another node could not be restored)");
    }

    TaskResult run(NodeAccess node, String clusterId, NodeTask.Restore restore, TaskProgress progress)
            throws TaskFailedException {
        if (restore.stage() == NodeTask.Stage.UNDO) {
            return undo(node, clusterId, progress);
        }
        String nodeId = node.status().nodeId();
        Path kept = kept(clusterId, nodeId);
        URI url = TaskInputs.presignedUrl(restore.downloadUrl(), "downloadUrl");
        String sha256 = TaskInputs.sha256(restore.sha256());
        if (restore.sizeBytes() <= 0 || restore.sizeBytes() > MAX_ARCHIVE_BYTES) {
            throw new TaskFailedException(
                    "sizeBytes " + restore.sizeBytes() + " must be between 1 and " + MAX_ARCHIVE_BYTES);
        }
        if (restore.stage() == NodeTask.Stage.VERIFY) {
            temp.delete(kept); // an earlier restore's
            Verified verified = download(node, url, sha256, restore.sizeBytes(), progress);
            try {
                temp.move(verified.file(), kept);
            } catch (IOException e) {
                temp.delete(verified.file());
                throw new TaskFailedException("cannot keep the verified archive: " + e.getMessage(), e);
            }
            List<String> paths = verified.manifest().directories().stream()
                    .map(BackupArchive.Directory::path)
                    .filter(p -> restore.restoreConfiguration() || !NodeBackup.CONFIG_DIR.equals(p))
                    .toList();
            LOG.infof("archive for node %s verified and kept; the node is restored once every node's is", nodeId);
            return new TaskResult(
                    node.status(),
                    new TaskOutput(
                            null, new TaskOutput.Archive(null, verified.sizeBytes(), verified.sha256(), paths), null),
                    "archive verified; nothing restored yet (the node is restored once every node's archive is verified)");
        }
        Verified verified = null;
        try {
            if (restore.stage() == NodeTask.Stage.APPLY) {
                verified = keptArchive(kept, sha256, restore.sizeBytes(), progress);
            }
            if (verified == null) {
                verified = download(node, url, sha256, restore.sizeBytes(), progress);
            }
            return restore(node, clusterId, restore, verified, progress);
        } finally {
            temp.delete(verified == null ? null : verified.file());
            temp.delete(kept);
        }
    }

    /** Downloads into a temp file and checks size, SHA-256 and every entry; the file is deleted when a check fails. */
    private Verified download(NodeAccess node, URI url, String sha256, long sizeBytes, TaskProgress progress)
            throws TaskFailedException {
        Path archive = null;
        boolean ok = false;
        try {
            archive = temp.create("restore-", ".tar.gz");
            progress.step("downloading", sizeBytes + " bytes from " + TaskInputs.hostAndPort(url));
            ObjectStoreClient.Downloaded got = store.get(url, archive, sizeBytes);

            progress.step("verifying", "size and SHA-256 of the archive, then its entries");
            if (got.tooLarge() || got.sizeBytes() != sizeBytes || !sha256.equals(got.sha256())) {
                LOG.warnf(
                        "archive for node %s: expected %d bytes sha256 %s, got %s bytes sha256 %s",
                        node.status().nodeId(),
                        sizeBytes,
                        sha256,
                        got.tooLarge() ? "more than expected" : String.valueOf(got.sizeBytes()),
                        got.sha256());
                throw new TaskFailedException(
                        "checksum mismatch: the archive is corrupted or was changed; nothing was restored");
            }
            BackupArchive.Manifest manifest = BackupArchive.read(archive, NodeRestore::checkEntries);
            ok = true;
            return new Verified(archive, got.sizeBytes(), got.sha256(), manifest);
        } catch (IOException e) {
            throw new TaskFailedException(
                    "the archive cannot be read (" + e.getMessage() + "); nothing was restored", e);
        } finally {
            if (!ok) {
                temp.delete(archive);
            }
        }
    }

    /** The archive VERIFY kept, if it is still there and still the verified one; else null (it is downloaded again). */
    private Verified keptArchive(Path kept, String sha256, long sizeBytes, TaskProgress progress)
            throws TaskFailedException {
        if (!Files.isRegularFile(kept)) {
            LOG.infof(
                    "the verified archive %s is gone (the gateway restarted?): downloading it again",
                    kept.getFileName());
            return null;
        }
        progress.step("verifying", "size and SHA-256 of the archive kept since it was verified, then its entries");
        try {
            long size = Files.size(kept);
            String sha = NodeBackup.sha256(kept);
            if (size != sizeBytes || !sha256.equals(sha)) {
                LOG.warnf("the verified archive %s changed on the appliance: downloading it again", kept.getFileName());
                return null;
            }
            return new Verified(kept, size, sha, BackupArchive.read(kept, NodeRestore::checkEntries));
        } catch (IOException e) {
            LOG.warnf(
                    "the verified archive %s cannot be read (%s): downloading it again",
                    kept.getFileName(), e.getMessage());
            return null;
        }
    }

    private TaskResult restore(
            NodeAccess node, String clusterId, NodeTask.Restore restore, Verified verified, TaskProgress progress)
            throws TaskFailedException {
        String nodeId = node.status().nodeId();
        BackupArchive.Manifest manifest = verified.manifest();
        List<String> replaced = manifest.directories().stream()
                .map(BackupArchive.Directory::path)
                .filter(p -> restore.restoreConfiguration() || !NodeBackup.CONFIG_DIR.equals(p))
                .toList();
        if (!restore.restoreConfiguration()
                && replaced.size() < manifest.directories().size()) {
            LOG.infof(
                    "restore into node %s: %s left as it is (restoreConfiguration off)", nodeId, NodeBackup.CONFIG_DIR);
        }
        Path saved = saved(clusterId, nodeId);
        temp.delete(saved); // an earlier restore's
        progress.step("saving", "the node's " + String.join(", ", replaced) + " as they are, to put back on failure");
        NodeBackup.Snapshot before = backup.snapshot(node, clusterId, replaced);
        try {
            temp.move(before.file(), saved);
        } catch (IOException e) {
            temp.delete(before.file());
            throw new TaskFailedException(
                    "cannot keep the node's state before the restore: " + e.getMessage() + "; nothing was restored", e);
        }
        progress.step("restoring", "into node " + nodeId);
        try {
            BackupArchive.read(verified.file(), (directory, tar) -> {
                if (replaced.contains(directory.path())) {
                    replace(node, directory.path(), tar);
                }
            });
        } catch (IOException | TaskFailedException e) {
            String failure = e instanceof TaskFailedException
                    ? e.getMessage()
                    : "the archive cannot be read (" + e.getMessage() + ")";
            throw new TaskFailedException(failure + "; " + putBackAfterFailure(node, saved), e);
        }
        if (restore.stage() != NodeTask.Stage.APPLY) {
            temp.delete(saved); // restored on its own: nobody will ask to undo it
        }
        LOG.infof("restored %s into node %s (archive of node %s)", replaced, nodeId, manifest.nodeId());
        String note = replaced.size() < manifest.directories().size()
                ? "kept the node's own " + NodeBackup.CONFIG_DIR + " (restoreConfiguration is off)"
                : null;
        return new TaskResult(
                node.status(),
                new TaskOutput(
                        null,
                        new TaskOutput.Archive(null, verified.sizeBytes(), verified.sha256(), List.copyOf(replaced)),
                        null),
                note);
    }

    /** Writing into the node failed part way: it is put back from what was saved; says how that went. */
    private String putBackAfterFailure(NodeAccess node, Path saved) {
        try {
            putBack(node, saved);
            return "the node was put back as it was before the restore";
        } catch (TaskFailedException e) {
            LOG.errorf(
                    "node %s could not be put back after a failed restore: %s",
                    node.status().nodeId(), e.getMessage());
            return "putting the node back failed too (" + e.getMessage() + "): it may be half-restored";
        } finally {
            temp.delete(saved);
        }
    }

    /** Each saved directory back into the node; one that was not there before is removed. The directories put back. */
    private static List<String> putBack(NodeAccess node, Path saved) throws TaskFailedException {
        List<String> paths = new ArrayList<>();
        BackupArchive.Manifest manifest;
        try {
            manifest = BackupArchive.read(saved, (directory, tar) -> {
                replace(node, directory.path(), tar);
                paths.add(directory.path());
            });
        } catch (IOException e) {
            throw new TaskFailedException("the saved state cannot be read: " + e.getMessage(), e);
        }
        for (String absent : manifest.skipped()) {
            String path = TaskInputs.directory(absent);
            // busybox's rm fails where a parent is no directory: then the path is not there, which is what counts
            NodeCommands.run(
                    node,
                    List.of("sh", "-c", "rm -rf -- \"$1\" 2>/dev/null; [ ! -e \"$1\" ] && [ ! -L \"$1\" ]", "sh", path),
                    "remove " + path + " (not in the node before the restore)");
            paths.add(path);
        }
        return paths;
    }

    /** First pass: every entry of every directory is checked before anything is written into the node. */
    private static void checkEntries(BackupArchive.Directory directory, InputStream tar)
            throws IOException, TaskFailedException {
        ArchiveEntries entries = new ArchiveEntries(BackupArchive.baseName(directory.path()));
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            entries.check(e);
        }
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static void replace(NodeAccess node, String path, InputStream tar) throws TaskFailedException {
        String parent = BackupArchive.parent(path);
        NodeCommands.run(node, List.of("sh", "-c", CLEAR, "sh", path, parent), "clear " + path + " in the node");
        try {
            node.writeArchive(parent, tar);
        } catch (NodeDriverException e) {
            throw new TaskFailedException("could not write " + path + " into the node: " + e.getMessage(), e);
        }
    }
}
