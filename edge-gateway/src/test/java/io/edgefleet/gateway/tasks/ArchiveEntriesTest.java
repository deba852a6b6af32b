package io.edgefleet.gateway.tasks;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Entries of an archive to restore are untrusted: everything must stay inside the restored directory. */
class ArchiveEntriesTest {

    private static TarArchiveEntry file(String name) {
        return new TarArchiveEntry(name, true); // preserve the name as given (no normalisation of '/' or '..')
    }

    private static TarArchiveEntry link(String name, String target, byte type) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        return e;
    }

    @Test
    void entriesOfTheDirectoryPass() {
        ArchiveEntries entries = new ArchiveEntries("data");
        assertDoesNotThrow(() -> {
            entries.check(new TarArchiveEntry("data/", true));
            entries.check(file("data/a.txt"));
            entries.check(file("data/sub/b.txt"));
            entries.check(link("data/current", "/var/lib/elsewhere", TarConstants.LF_SYMLINK));
            entries.check(link("data/hard", "data/a.txt", TarConstants.LF_LINK));
        });
    }

    @Test
    void escapesAreRefused() {
        for (String bad : new String[] {
            "/etc/passwd", "data/../../etc/passwd", "../data/x", "other/x", "data//x", "data/./x", "data\\..\\x", "dat"
        }) {
            ArchiveEntries entries = new ArchiveEntries("data");
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> entries.check(file(bad)), bad);
            assertTrue(e.getMessage().contains("nothing was restored"), e.getMessage());
        }
    }

    @Test
    void hardLinksOutsideAndWritesThroughASymlinkAreRefused() {
        assertThrows(
                TaskFailedException.class,
                () -> new ArchiveEntries("data").check(link("data/shadow", "../etc/shadow", TarConstants.LF_LINK)));
        ArchiveEntries entries = new ArchiveEntries("data");
        assertDoesNotThrow(() -> entries.check(link("data/etc", "/etc", TarConstants.LF_SYMLINK)));
        assertThrows(TaskFailedException.class, () -> entries.check(file("data/etc/passwd")));
    }

    @Test
    void devicesAreRefused() {
        TarArchiveEntry device = new TarArchiveEntry("data/sda", TarConstants.LF_BLK, true);
        assertThrows(TaskFailedException.class, () -> new ArchiveEntries("data").check(device));
    }
}
