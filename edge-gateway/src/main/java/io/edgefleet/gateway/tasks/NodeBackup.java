package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * BACKUP: the node's directories (and its configuration, /etc/edgefleet, when asked) as one
 * {@link BackupArchive} in a temp file, uploaded with one PUT to the presigned URL. Running it again
 * (after a gateway crash) makes a new archive and overwrites the object: safe.
 */
final class NodeBackup {

    private static final Logger LOG = Logger.getLogger(NodeBackup.class);
    static final String CONFIG_DIR = "/etc/edgefleet";
    private static final int MAX_OBJECT_KEY = 1024;

    private final TempFiles temp;
    private final ObjectStoreClient store;

    NodeBackup(TempFiles temp, ObjectStoreClient store) {
        this.temp = temp;
        this.store = store;
    }

    TaskResult run(NodeAccess node, String clusterId, NodeTask.Backup backup, TaskProgress progress)
            throws TaskFailedException {
        URI url = TaskInputs.presignedUrl(backup.uploadUrl(), "uploadUrl");
        String objectKey = objectKey(backup.objectKey());
        List<String> wanted = new ArrayList<>(TaskInputs.directories(backup.paths()));
        if (backup.includeConfiguration() && !wanted.contains(CONFIG_DIR)) {
            wanted.add(CONFIG_DIR);
        }
        if (wanted.isEmpty()) {
            throw new TaskFailedException("nothing to back up: no paths and includeConfiguration is off");
        }
        progress.step("archiving", "archiving " + String.join(", ", wanted));
        Snapshot snapshot = snapshot(node, clusterId, wanted);
        try {
            if (snapshot.paths().isEmpty()) {
                throw new TaskFailedException("none of the paths exists in the node: " + String.join(", ", wanted));
            }
            long size = Files.size(snapshot.file());
            String sha256 = sha256(snapshot.file());
            progress.step("uploading", size + " bytes to " + TaskInputs.hostAndPort(url) + " as " + objectKey);
            store.put(url, snapshot.file(), objectKey);
            LOG.infof(
                    "backed up %s of node %s as %s (%d bytes)",
                    snapshot.paths(), node.status().nodeId(), objectKey, size);
            String note = snapshot.skipped().isEmpty()
                    ? null
                    : "skipped (not in the node): " + String.join(", ", snapshot.skipped());
            return new TaskResult(
                    node.status(),
                    new TaskOutput(null, new TaskOutput.Archive(objectKey, size, sha256, snapshot.paths()), null),
                    note);
        } catch (IOException e) {
            throw new TaskFailedException(
                    "could not write the archive in the gateway's data directory: " + e.getMessage(), e);
        } finally {
            temp.delete(snapshot.file());
        }
    }

    /** A {@link BackupArchive} in the gateway's data directory: the directories archived, those not in the node. */
    record Snapshot(Path file, List<String> paths, List<String> skipped) {}

    /**
     * The node's {@code wanted} directories as they are now, in one archive in a temp file (the caller deletes it);
     * the ones not in the node are listed as skipped.
     */
    Snapshot snapshot(NodeAccess node, String clusterId, List<String> wanted) throws TaskFailedException {
        List<Path> parts = new ArrayList<>();
        Path archive = null;
        boolean ok = false;
        try {
            List<BackupArchive.DirectoryTar> archived = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            List<String> present = directoriesPresent(node, wanted);
            for (String path : wanted) {
                Optional<Path> tar = present.contains(path) ? copyOut(node, path) : Optional.empty();
                if (tar.isEmpty()) {
                    skipped.add(path);
                    continue;
                }
                parts.add(tar.get());
                archived.add(new BackupArchive.DirectoryTar(path, tar.get()));
            }
            archive = temp.create("backup-", ".tar.gz");
            BackupArchive.write(archive, clusterId, node.status().nodeId(), archived, skipped);
            ok = true;
            return new Snapshot(
                    archive,
                    archived.stream().map(BackupArchive.DirectoryTar::path).toList(),
                    List.copyOf(skipped));
        } catch (IOException e) {
            throw new TaskFailedException(
                    "could not write the archive in the gateway's data directory: " + e.getMessage(), e);
        } finally {
            parts.forEach(temp::delete);
            if (!ok) {
                temp.delete(archive);
            }
        }
    }

    /** Which of the paths are directories in the node (one command for all). */
    private static List<String> directoriesPresent(NodeAccess node, List<String> paths) throws TaskFailedException {
        List<String> command = new ArrayList<>(
                List.of("sh", "-c", "for p in \"$@\"; do [ -d \"$p\" ] && printf '%s\\n' \"$p\"; done; true", "sh"));
        command.addAll(paths);
        String out = NodeCommands.run(node, command, "look for the directories to back up")
                .stdout();
        return List.of(out.split("\n"));
    }

    private Optional<Path> copyOut(NodeAccess node, String path) throws TaskFailedException, IOException {
        Optional<InputStream> stream;
        try {
            stream = node.readDirectory(path);
        } catch (NodeDriverException e) {
            throw new TaskFailedException("could not read " + path + " from the node: " + e.getMessage(), e);
        }
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        Path part = temp.create("dir-", ".tar");
        try (InputStream in = stream.get()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            temp.delete(part);
            throw new TaskFailedException("could not read " + path + " from the node: " + e.getMessage(), e);
        }
        return Optional.of(part);
    }

    static String objectKey(String key) throws TaskFailedException {
        if (key == null
                || key.isBlank()
                || key.length() > MAX_OBJECT_KEY
                || key.chars().anyMatch(Character::isISOControl)) {
            throw new TaskFailedException("objectKey '" + TaskInputs.shown(key) + "' must be 1 to " + MAX_OBJECT_KEY
                    + " characters without control characters");
        }
        return key;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = ObjectStoreClient.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
