package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.gateway.nodes.NodeDriverException;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Whether a started guest is ready: its QEMU guest agent answers and it applied the bootstrap document it was given.
 * The guest tells the latter by writing the document's SHA-256 (hex) to {@link #MARKER} once it has applied it (see
 * deploy/local/node-image/mk-guest-image.sh); the gateway reads that file through the agent and compares it with the
 * hash of the document in the domain's fw_cfg entry, so a marker of an earlier document does not count.
 */
final class NodeReadiness {

    /** Written by the guest after it applied the bootstrap: the document's SHA-256 in hex. */
    static final String MARKER = "/run/edgefleet/bootstrap.sha256";
    /** Console lines a readiness failure quotes. */
    static final int CONSOLE_LINES = 20;

    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What was seen of the guest at the last look. */
    enum Seen {
        NOT_RUNNING("the domain is not running"),
        NO_AGENT("the guest agent does not answer (the guest has not booted, or its image does not run qemu-ga)"),
        NO_MARKER("the guest agent answers, but the guest has not applied the bootstrap (no " + MARKER + ")"),
        OTHER_DOCUMENT("the guest applied another bootstrap document than the domain's (" + MARKER + " differs)"),
        READY("ready");

        final String reason;

        Seen(String reason) {
            this.reason = reason;
        }
    }

    private NodeReadiness() {}

    static String sha256(String bootstrapJson) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(bootstrapJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One look at the guest. */
    static Seen look(Domain d, String name, String expectedSha256) {
        try {
            if (d.isActive() == 0) {
                return Seen.NOT_RUNNING;
            }
        } catch (LibvirtException e) {
            return Seen.NOT_RUNNING;
        }
        GuestAgent agent = new GuestAgent(d, name);
        if (!agent.answers()) {
            return Seen.NO_AGENT;
        }
        String marker;
        try {
            marker = readSmallFile(agent, MARKER).strip();
        } catch (NodeDriverException e) {
            return Seen.NO_MARKER;
        }
        return marker.equalsIgnoreCase(expectedSha256) ? Seen.READY : Seen.OTHER_DOCUMENT;
    }

    /**
     * Waits until the guest is ready or {@code timeout} has passed; tells {@code progress} what it waits for every few
     * seconds. A domain that stops meanwhile fails at once.
     *
     * @param console the console's last lines, quoted when it fails
     */
    static void await(
            Domain d,
            String name,
            String expectedSha256,
            Duration timeout,
            Consumer<String> progress,
            ConsoleTail console)
            throws NodeDriverException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start;
        Seen seen;
        while (true) {
            seen = look(d, name, expectedSha256);
            long now = System.nanoTime();
            if (seen == Seen.READY) {
                return;
            }
            if (seen == Seen.NOT_RUNNING || now >= deadline) {
                break;
            }
            if (now >= nextProgress) {
                progress.accept("booting: " + seen.reason + ", waited " + TimeUnit.NANOSECONDS.toSeconds(now - start)
                        + " s of " + timeout.toSeconds() + " s");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis()); // the guest boots at its pace: nothing to be notified of
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeDriverException("waiting for node " + name + " to be ready was interrupted");
            }
        }
        List<String> lines = console.lastLines(CONSOLE_LINES);
        throw new NodeDriverException("node " + name + " is not ready "
                + (seen == Seen.NOT_RUNNING ? "(it stopped while booting)" : "after " + timeout.toSeconds() + " s")
                + ": " + seen.reason
                + (lines.isEmpty()
                        ? "; its console logged nothing"
                        : "; the console's last lines:\n" + String.join("\n", lines)));
    }

    /** The console's last lines, read only when needed. */
    @FunctionalInterface
    interface ConsoleTail {
        List<String> lastLines(int lines);
    }

    private static String readSmallFile(GuestAgent agent, String path) throws NodeDriverException {
        long handle = agent.open(path, "r");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = agent.read(handle)) != null && out.size() < 4096) {
                out.writeBytes(chunk);
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            agent.close(handle);
        }
    }
}
