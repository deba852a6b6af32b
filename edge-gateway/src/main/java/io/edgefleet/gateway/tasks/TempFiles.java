package io.edgefleet.gateway.tasks;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temp files of the tasks (archives on their way to or from the object store), in one directory of the
 * gateway's data dir, readable by the gateway only: archives hold the nodes' secrets. Left-overs of a
 * crash are removed when the gateway starts.
 */
final class TempFiles {

    private static final Logger LOG = Logger.getLogger(TempFiles.class);
    private final Path dir;

    TempFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                old.forEach(this::delete);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the task directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Path create(String prefix, String suffix) throws IOException {
        try {
            return Files.createTempFile(
                    dir,
                    prefix,
                    suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, suffix);
        }
    }

    /** A file of this directory by its name (created by {@link #move}). */
    Path path(String name) {
        return dir.resolve(name);
    }

    /** Moves a file of this directory to another name of it, replacing what is there. */
    void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot remove the temp file %s: %s", file, e.getMessage());
        }
    }
}
