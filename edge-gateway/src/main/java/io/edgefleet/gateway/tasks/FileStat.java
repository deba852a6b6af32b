package io.edgefleet.gateway.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file in the node as {@code stat} sees it.
 *
 * @param mode permission bits (e.g. 0644), -1 when missing
 */
record FileStat(String path, boolean exists, String type, int mode, long uid, long gid, String user, String group) {

    /**
     * The shell loop that prints one line per path, {@code "<mode> <uid> <gid> <user> <group>|<type>|<path>"}, or
     * {@code "- - -|missing|<path>"}. Paths come as arguments ({@code "$@"}), never inside the script.
     */
    static final String STAT_LOOP =
            "while IFS= read -r p; do if [ -e \"$p\" ]; then stat -c '%a %u %g %U %G|%F|%n' \"$p\";"
                    + " else echo \"- - -|missing|$p\"; fi; done";

    static FileStat missing(String path) {
        return new FileStat(path, false, "missing", -1, -1, -1, null, null);
    }

    boolean regularFile() {
        return exists && type.startsWith("regular");
    }

    boolean rootOwned() {
        return uid == 0 && gid == 0;
    }

    /** Whether any of {@code bits} is set in the mode. */
    boolean any(int bits) {
        return (mode & bits) != 0;
    }

    /** Evidence as the scans report it: "mode 0644 owner 0:0". */
    String evidence() {
        return exists ? String.format("mode %04o owner %d:%d", mode, uid, gid) : "missing";
    }

    /** Parses the output of {@link #STAT_LOOP}; lines that do not fit are skipped. */
    static Map<String, FileStat> parse(String output) {
        Map<String, FileStat> stats = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split("\\|", 3);
            if (parts.length != 3 || parts[2].isEmpty()) {
                continue;
            }
            String path = parts[2];
            if (parts[1].equals("missing")) {
                stats.put(path, missing(path));
                continue;
            }
            String[] ids = parts[0].trim().split(" ");
            try {
                int mode = Integer.parseInt(ids[0], 8) & 07777;
                // the names: what a spec's "user:group" owner is checked against (absent from an older stat line)
                stats.put(
                        path,
                        new FileStat(
                                path,
                                true,
                                parts[1],
                                mode,
                                Long.parseLong(ids[1]),
                                Long.parseLong(ids[2]),
                                ids.length > 3 ? ids[3] : null,
                                ids.length > 4 ? ids[4] : null));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // not a stat line (a message of the shell): skipped
            }
        }
        return stats;
    }
}
