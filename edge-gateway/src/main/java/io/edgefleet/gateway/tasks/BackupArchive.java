package io.edgefleet.gateway.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The backup archive format: one tar.gz holding {@code manifest.json} first, then one tar per directory
 * ({@code dirs/<n>.tar}, as the node's tar of that directory: entries start with the directory's name).
 * Written and read as streams through files: an archive never sits in the gateway's memory.
 */
final class BackupArchive {

    static final int FORMAT = 1;
    static final String MANIFEST = "manifest.json";
    private static final int MAX_MANIFEST_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param entry the archive entry of the directory's tar */
    record Directory(String path, String entry) {}

    record Manifest(int format, String clusterId, String nodeId, List<Directory> directories, List<String> skipped) {}

    /** One directory's tar (a temp file) to put into the archive. */
    record DirectoryTar(String path, Path tar) {}

    private BackupArchive() {}

    static void write(
            Path target, String clusterId, String nodeId, List<DirectoryTar> directories, List<String> skipped)
            throws IOException {
        List<Directory> listed = new ArrayList<>();
        for (int i = 0; i < directories.size(); i++) {
            listed.add(new Directory(directories.get(i).path(), "dirs/" + i + ".tar"));
        }
        byte[] manifest = JSON.writeValueAsBytes(new Manifest(FORMAT, clusterId, nodeId, listed, skipped));
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file, 64 * 1024))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry m = new TarArchiveEntry(MANIFEST);
            m.setSize(manifest.length);
            tar.putArchiveEntry(m);
            tar.write(manifest);
            tar.closeArchiveEntry();
            for (int i = 0; i < directories.size(); i++) {
                Path part = directories.get(i).tar();
                TarArchiveEntry e = new TarArchiveEntry(listed.get(i).entry());
                e.setSize(Files.size(part));
                tar.putArchiveEntry(e);
                Files.copy(part, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /** Called for each directory of the archive, in order, with its tar as a stream (not to be closed). */
    @FunctionalInterface
    interface DirectoryVisitor {
        void visit(Directory directory, InputStream tar) throws IOException, TaskFailedException;
    }

    /**
     * Reads the archive: checks the manifest (format, directory paths, entry names) and hands each listed
     * directory's tar to {@code visitor}.
     */
    static Manifest read(Path archive, DirectoryVisitor visitor) throws IOException, TaskFailedException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 64 * 1024))) {
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null || !MANIFEST.equals(first.getName()) || first.getSize() > MAX_MANIFEST_BYTES) {
                throw new TaskFailedException(
                        "not a backup archive of this gateway: " + MANIFEST + " does not come first");
            }
            Manifest manifest = manifest(tar.readNBytes(MAX_MANIFEST_BYTES));
            int index = 0;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (index >= manifest.directories().size()) {
                    throw new TaskFailedException(
                            "the archive holds more than its manifest lists ('" + TaskInputs.shown(e.getName()) + "')");
                }
                Directory directory = manifest.directories().get(index++);
                if (!directory.entry().equals(e.getName()) || !e.isFile()) {
                    throw new TaskFailedException("the archive's entry '" + TaskInputs.shown(e.getName())
                            + "' is not the listed " + directory.entry());
                }
                visitor.visit(directory, new FilterInputStream(tar) {
                    @Override
                    public void close() {
                        // the outer archive stays open for the next directory
                    }
                });
            }
            if (index != manifest.directories().size()) {
                throw new TaskFailedException("the archive lacks directories its manifest lists");
            }
            return manifest;
        }
    }

    private static Manifest manifest(byte[] json) throws TaskFailedException {
        Manifest m;
        try {
            m = JSON.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new TaskFailedException("the archive's manifest is unreadable");
        }
        if (m.format() != FORMAT || m.directories() == null) {
            throw new TaskFailedException(
                    "the archive's manifest has format " + m.format() + "; this gateway reads format " + FORMAT);
        }
        List<Directory> checked = new ArrayList<>();
        for (Directory d : m.directories()) {
            if (d == null || d.entry() == null) {
                throw new TaskFailedException("the archive's manifest lists an empty directory entry");
            }
            checked.add(new Directory(TaskInputs.directory(d.path()), d.entry()));
        }
        return new Manifest(
                m.format(), m.clusterId(), m.nodeId(), checked, m.skipped() == null ? List.of() : m.skipped());
    }

    /** The last segment of a directory path: the first segment of the entries of its tar. */
    static String baseName(String directory) {
        return directory.substring(directory.lastIndexOf('/') + 1);
    }

    static String parent(String directory) {
        int slash = directory.lastIndexOf('/');
        return slash == 0 ? "/" : directory.substring(0, slash);
    }
}
