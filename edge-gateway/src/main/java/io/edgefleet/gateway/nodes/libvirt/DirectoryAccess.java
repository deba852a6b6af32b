package io.edgefleet.gateway.nodes.libvirt;

/**
 * Whether QEMU's user may search (enter) a directory, from the directory's mode and owner as libvirt reports them. Pure:
 * tested without a host. Only a certain "no" refuses a node: access through a supplementary group of QEMU's user, or
 * an ACL, cannot be seen here, so a directory whose group may search it but is not QEMU's own group is "unknown".
 */
final class DirectoryAccess {

    private DirectoryAccess() {}

    enum Verdict {
        YES,
        NO,
        UNKNOWN
    }

    /** QEMU's user and group as libvirt's DAC security driver runs it ({@code +64055:+64055}). */
    record QemuUser(long uid, long gid) {

        /** From a DAC base label {@code +uid:+gid} (or {@code uid:gid}); null when it is not one. */
        static QemuUser parse(String label) {
            if (label == null) {
                return null;
            }
            String[] parts = label.strip().split(":");
            if (parts.length != 2) {
                return null;
            }
            try {
                return new QemuUser(id(parts[0]), id(parts[1]));
            } catch (NumberFormatException e) {
                return null; // a name, not a number: cannot be compared with the owner libvirt reports
            }
        }

        private static long id(String part) {
            return Long.parseLong(part.startsWith("+") ? part.substring(1) : part);
        }
    }

    /** @param mode the permission bits (e.g. {@code 0700}) */
    static Verdict searchable(int mode, long owner, long group, QemuUser qemu) {
        if (qemu.uid() == 0) {
            return Verdict.YES; // root searches everything
        }
        if (owner == qemu.uid()) {
            return (mode & 0100) != 0 ? Verdict.YES : Verdict.NO; // the owner's bits alone count for the owner
        }
        if (group == qemu.gid()) {
            return (mode & 0010) != 0 ? Verdict.YES : Verdict.NO;
        }
        if ((mode & 0001) != 0) {
            return Verdict.YES;
        }
        return (mode & 0010) != 0 ? Verdict.UNKNOWN : Verdict.NO;
    }
}
