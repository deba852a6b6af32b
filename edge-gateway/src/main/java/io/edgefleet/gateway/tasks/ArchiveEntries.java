package io.edgefleet.gateway.tasks;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.util.HashSet;
import java.util.Set;

/**
 * Validates the entries of one directory's tar in a backup archive before anything of it is extracted
 * into a node: an archive comes from an object store and is untrusted. Every entry must stay inside the
 * directory it restores ({@code <name>/...}, relative, no '..'), links must point inside it too (hard
 * links) or not be walked through (symbolic links), and only files, directories and links are allowed.
 */
final class ArchiveEntries {

    private final String base;
    private final Set<String> symlinks = new HashSet<>();

    /** @param base the directory's own name, the first segment of every entry (e.g. {@code data} for /var/lib/data) */
    ArchiveEntries(String base) {
        this.base = base;
    }

    /** @throws TaskFailedException naming the offending entry */
    void check(TarArchiveEntry entry) throws TaskFailedException {
        String name = check(entry.getName(), "entry");
        // isFile() is true for unknown kinds too: devices and FIFOs are ruled out first
        if (entry.isBlockDevice()
                || entry.isCharacterDevice()
                || entry.isFIFO()
                || !(entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() || entry.isLink())) {
            throw rejected(entry.getName(), "is neither a file, a directory nor a link");
        }
        if (entry.isLink()) {
            check(entry.getLinkName(), "hard link target");
        }
        // a file written "through" a symbolic link of the same archive would land wherever the link points
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            if (symlinks.contains(name.substring(0, slash))) {
                throw rejected(entry.getName(), "lies below a symbolic link of the archive");
            }
        }
        if (entry.isSymbolicLink()) {
            symlinks.add(name);
        }
    }

    /** The name without a trailing '/', when it is relative, inside {@code base} and free of '.', '..' and '\'. */
    String check(String rawName, String what) throws TaskFailedException {
        if (rawName == null
                || rawName.isEmpty()
                || rawName.startsWith("/")
                || rawName.contains("\\")
                || rawName.chars().anyMatch(c -> c == 0)) {
            throw rejected(rawName, what + " must be a relative path");
        }
        String name = rawName.endsWith("/") ? rawName.substring(0, rawName.length() - 1) : rawName;
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw rejected(rawName, what + " must not contain '.', '..' or '//'");
            }
        }
        if (!name.equals(base) && !name.startsWith(base + "/")) {
            throw rejected(rawName, what + " lies outside directory " + base);
        }
        return name;
    }

    private static TaskFailedException rejected(String name, String why) {
        return new TaskFailedException("the archive is not safe to restore: '" + TaskInputs.shown(name) + "' " + why
                + "; nothing was restored");
    }
}
