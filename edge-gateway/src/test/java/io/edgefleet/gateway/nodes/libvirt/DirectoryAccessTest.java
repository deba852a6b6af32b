package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Test;

import static io.edgefleet.gateway.nodes.libvirt.DirectoryAccess.Verdict.NO;
import static io.edgefleet.gateway.nodes.libvirt.DirectoryAccess.Verdict.UNKNOWN;
import static io.edgefleet.gateway.nodes.libvirt.DirectoryAccess.Verdict.YES;
import static io.edgefleet.gateway.nodes.libvirt.DirectoryAccess.searchable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DirectoryAccessTest {

    private static final DirectoryAccess.QemuUser QEMU = new DirectoryAccess.QemuUser(64055, 64055);

    @Test
    void othersBitsDecideForADirectoryOfRoot() {
        assertEquals(YES, searchable(0711, 0, 0, QEMU)); // Debian's /var/lib/libvirt/images
        assertEquals(YES, searchable(0755, 0, 0, QEMU));
        assertEquals(NO, searchable(0700, 0, 0, QEMU)); // a private checkout, mktemp -d
        assertEquals(NO, searchable(0600, 0, 0, QEMU));
    }

    @Test
    void theOwnersAndTheGroupsBitsDecideForQemusOwnDirectories() {
        assertEquals(YES, searchable(0700, 64055, 0, QEMU));
        assertEquals(NO, searchable(0077, 64055, 0, QEMU)); // the owner's bits alone count for the owner
        assertEquals(YES, searchable(0750, 0, 64055, QEMU));
        assertEquals(NO, searchable(0705, 0, 64055, QEMU)); // and the group's for the group
    }

    @Test
    void aGroupQemuMayBeInIsUnknownNotARefusal() {
        // a supplementary group of QEMU's user cannot be seen through libvirt: the start would tell
        assertEquals(UNKNOWN, searchable(0750, 1000, 1000, QEMU));
        assertEquals(UNKNOWN, searchable(0750, 0, 0, QEMU));
    }

    @Test
    void qemuAsRootReachesEverything() {
        assertEquals(YES, searchable(0700, 1000, 1000, new DirectoryAccess.QemuUser(0, 0)));
    }

    @Test
    void theDacBaseLabelIsParsed() {
        assertEquals(QEMU, DirectoryAccess.QemuUser.parse("+64055:+64055"));
        assertEquals(new DirectoryAccess.QemuUser(107, 36), DirectoryAccess.QemuUser.parse("107:36"));
        assertNull(DirectoryAccess.QemuUser.parse("qemu:qemu"));
        assertNull(DirectoryAccess.QemuUser.parse(null));
    }
}
