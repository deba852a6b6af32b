package io.edgefleet.gateway.tasks;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RESTORE: downloads the archive, checks its size and SHA-256 and every entry before the node is
 * touched, then replaces each archived directory in the node with the archived one. /etc/edgefleet only
 * when {@code restoreConfiguration} (a different cluster keeps its own). Running it again after a crash
 * repeats the same replacement: safe.
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

    NodeRestore(TempFiles temp, ObjectStoreClient store) {
        this.temp = temp;
        this.store = store;
    }

    TaskResult run(NodeAccess node, NodeTask.Restore restore, TaskProgress progress) throws TaskFailedException {
        URI url = TaskInputs.presignedUrl(restore.downloadUrl(), "downloadUrl");
        String sha256 = TaskInputs.sha256(restore.sha256());
        if (restore.sizeBytes() <= 0 || restore.sizeBytes() > MAX_ARCHIVE_BYTES) {
            throw new TaskFailedException(
                    "sizeBytes " + restore.sizeBytes() + " must be between 1 and " + MAX_ARCHIVE_BYTES);
        }
        Path archive = null;
        try {
            archive = temp.create("restore-", ".tar.gz");
            progress.step("downloading", restore.sizeBytes() + " bytes from " + TaskInputs.hostAndPort(url));
            ObjectStoreClient.Downloaded got = store.get(url, archive, restore.sizeBytes());

            progress.step("verifying", "size and SHA-256 of the archive, then its entries");
            if (got.tooLarge() || got.sizeBytes() != restore.sizeBytes() || !sha256.equals(got.sha256())) {
                LOG.warnf(
                        "archive for node %s: expected %d bytes sha256 %s, got %s bytes sha256 %s",
                        node.status().nodeId(),
                        restore.sizeBytes(),
                        sha256,
                        got.tooLarge() ? "more than expected" : String.valueOf(got.sizeBytes()),
                        got.sha256());
                throw new TaskFailedException(
                        "checksum mismatch: the archive is corrupted or was changed; nothing was restored");
            }
            BackupArchive.Manifest manifest = BackupArchive.read(archive, NodeRestore::checkEntries);

            List<String> restored = new ArrayList<>();
            progress.step("restoring", "into node " + node.status().nodeId());
            BackupArchive.read(archive, (directory, tar) -> {
                if (NodeBackup.CONFIG_DIR.equals(directory.path()) && !restore.restoreConfiguration()) {
                    LOG.infof(
                            "restore into node %s: %s left as it is (restoreConfiguration off)",
                            node.status().nodeId(), directory.path());
                    return;
                }
                replace(node, directory.path(), tar);
                restored.add(directory.path());
            });
            LOG.infof(
                    "restored %s into node %s (archive of node %s)",
                    restored, node.status().nodeId(), manifest.nodeId());
            String note = restored.size() < manifest.directories().size()
                    ? "kept the node's own " + NodeBackup.CONFIG_DIR + " (restoreConfiguration is off)"
                    : null;
            return new TaskResult(
                    node.status(),
                    new TaskOutput(
                            null,
                            new TaskOutput.Archive(null, got.sizeBytes(), got.sha256(), List.copyOf(restored)),
                            null),
                    note);
        } catch (IOException e) {
            throw new TaskFailedException(
                    "the archive cannot be read (" + e.getMessage() + "); nothing more was restored", e);
        } finally {
            temp.delete(archive);
        }
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
