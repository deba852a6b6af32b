package io.edgefleet.bridge.mosquitto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The device listener's ACL file, owned by the bridge: the two patterns that let a device read its own commands and
 * write its own reports, then {@code user <tenant>/<uid>} / {@code topic deny #} for every cut-off identity (a user's
 * own deny entry wins over the patterns). The file is the state: a restart reads the list back from it.
 */
final class DenyList {

    static final String PATTERNS = "pattern read edgefleet/%u/commands\npattern write edgefleet/%u/reports\n";
    private static final String DENY_ALL = "topic deny #";

    private final Path file;
    private final SortedSet<String> denied;
    private Set<String> saved;

    private DenyList(Path file, SortedSet<String> denied) {
        this.file = file;
        this.denied = denied;
        this.saved = Set.copyOf(denied);
    }

    /** The list in {@code file}; empty when there is no file yet. */
    static DenyList load(Path file) throws IOException {
        SortedSet<String> denied = new TreeSet<>();
        if (Files.exists(file)) {
            String user = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("user ")) {
                    user = l.substring(5).strip();
                } else if (l.equals(DENY_ALL) && user != null) {
                    denied.add(user);
                } else if (l.startsWith("pattern ")) {
                    user = null; // patterns apply to everybody
                }
            }
        }
        return new DenyList(file, denied);
    }

    /** @return whether that changed the list */
    boolean deny(String identity) {
        return denied.add(identity);
    }

    /** @return whether that changed the list */
    boolean allow(String identity) {
        return denied.remove(identity);
    }

    boolean denies(String identity) {
        return denied.contains(identity);
    }

    Set<String> denied() {
        return Set.copyOf(denied);
    }

    /** The list differs from what the file holds. */
    boolean unsaved() {
        return !saved.equals(denied);
    }

    /** Writes the file (atomically) when it differs. @return whether it was written */
    boolean save() throws IOException {
        if (!unsaved()) {
            return false;
        }
        AtomicFiles.write(file, render(denied).getBytes(StandardCharsets.UTF_8));
        saved = Set.copyOf(denied);
        return true;
    }

    /** The file's content; the same layout as the deployment's initial file (test-support's MosquittoBroker.deviceAcl). */
    static String render(Set<String> denied) {
        StringBuilder acl = new StringBuilder(PATTERNS);
        new TreeSet<>(denied)
                .forEach(identity -> acl.append("\nuser ")
                        .append(identity)
                        .append('\n')
                        .append(DENY_ALL)
                        .append('\n'));
        return acl.toString();
    }
}
