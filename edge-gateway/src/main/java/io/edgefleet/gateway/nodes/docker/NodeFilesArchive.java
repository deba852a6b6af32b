package io.edgefleet.gateway.nodes.docker;

import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.gateway.nodes.NodeSpecChecks;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The tar stream that puts a node's files and SSH keys into its container before the first start
 * (Docker's archive upload, extracted at "/").
 * <p>
 * Only the files (and /root/.ssh) get entries. Missing parent directories are created by the engine
 * (0755, root); a directory entry would instead reset the mode and owner of a directory that
 * already exists in the image (think /tmp or /etc).
 */
final class NodeFilesArchive {

    private NodeFilesArchive() {}

    /** Paths must have passed {@link SpecChecks}. Returns null when there is nothing to copy. */
    static byte[] of(List<NodeSpec.NodeFile> files, List<String> sshAuthorizedKeys) {
        boolean keys = sshAuthorizedKeys != null && !sshAuthorizedKeys.isEmpty();
        if (!keys && (files == null || files.isEmpty())) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            if (keys) {
                // sshd refuses keys in a directory or file others can write
                directory(tar, "/root/.ssh", 0700);
                file(tar, NodeSpecChecks.AUTHORIZED_KEYS, String.join("\n", sshAuthorizedKeys) + "\n", 0, 0, 0600);
            }
            for (NodeSpec.NodeFile f : files == null ? List.<NodeSpec.NodeFile>of() : files) {
                long[] owner = owner(f.owner());
                int mode = f.permissions() == null ? 0644 : Integer.parseInt(f.permissions(), 8);
                file(tar, f.path(), f.content() == null ? "" : f.content(), owner[0], owner[1], mode);
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the tar of the node's files", e); // in memory: not expected
        }
        return bytes.toByteArray();
    }

    /** "root", "root:root" or numeric "uid:gid" (names other than root would need the image's /etc/passwd). */
    static long[] owner(String owner) {
        if (owner == null || owner.startsWith("root")) {
            return new long[] {0, 0};
        }
        String[] ids = owner.split(":");
        return new long[] {Long.parseLong(ids[0]), Long.parseLong(ids[1])};
    }

    private static void directory(TarArchiveOutputStream tar, String path, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path.substring(1) + "/");
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String path, String content, long uid, long gid, int mode)
            throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path.substring(1)); // relative to the extraction root "/"
        entry.setSize(data.length);
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
