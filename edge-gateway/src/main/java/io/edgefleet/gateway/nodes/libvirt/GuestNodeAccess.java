package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.TailBuffer;
import org.jboss.logging.Logger;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link NodeAccess} to a virtualized node through its QEMU {@link GuestAgent}: commands run by the agent,
 * directories travel as tar files that the agent reads or writes in chunks (a temporary file in the guest,
 * removed afterwards), and a restart is a reboot of the guest. A command's standard error follows its
 * standard output in {@code combined} (the agent keeps them apart).
 */
final class GuestNodeAccess implements NodeAccess {

    private static final Logger LOG = Logger.getLogger(GuestNodeAccess.class);
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";
    /** Temporary tar files in the guest, named so that one left by a crash is recognisable. */
    private static final String MKTEMP = "mktemp \"${TMPDIR:-/tmp}/edgefleet-tar.XXXXXX\"";

    /** The node's state now, asked of libvirt (for what a restart returns). */
    @FunctionalInterface
    interface CurrentStatus {
        NodeStatus get() throws NodeDriverException;
    }

    private final Domain domain;
    private final String name;
    private final GuestAgent agent;
    private final NodeStatus status;
    private final NodeFacts facts;
    private final CurrentStatus current;

    GuestNodeAccess(Domain domain, String name, NodeStatus status, NodeFacts facts, CurrentStatus current) {
        this.domain = domain;
        this.name = name;
        this.agent = new GuestAgent(domain, name);
        this.status = status;
        this.facts = facts;
        this.current = current;
    }

    @Override
    public NodeStatus status() {
        return status;
    }

    @Override
    public NodeFacts facts() {
        return facts;
    }

    @Override
    public ExecResult exec(List<String> command, Duration timeout, int maxOutputBytes) throws NodeDriverException {
        long pid = agent.exec(command);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        while (true) {
            GuestAgent.ExecStatus s = agent.status(pid);
            if (s.exited()) {
                TailBuffer stdout = new TailBuffer(maxOutputBytes);
                TailBuffer combined = new TailBuffer(maxOutputBytes);
                stdout.write(s.stdout());
                combined.write(s.stdout());
                combined.write(s.stderr());
                return new ExecResult(s.exitCode(), stdout.text(), combined.text(), false);
            }
            if (System.nanoTime() > deadline) {
                kill(pid);
                LOG.warnf("a command in node %s did not end within %d s: killed it", name, timeout.toSeconds());
                return new ExecResult(-1, "", "", true);
            }
            sleep(pause);
            pause = Math.min(500, pause * 2);
        }
    }

    /** Tar of the directory made in the guest, then read through the agent as the caller reads the stream. */
    @Override
    public Optional<InputStream> readDirectory(String absolutePath) throws NodeDriverException {
        ExecResult made = run(
                List.of(
                        "sh",
                        "-c",
                        "[ -d \"$1\" ] || exit 3; t=$(" + MKTEMP + ") || exit 1;"
                                + " tar -C \"$(dirname \"$1\")\" -cf \"$t\" \"$(basename \"$1\")\" || { rm -f \"$t\"; exit 1; }; echo \"$t\"",
                        "sh",
                        absolutePath),
                "archive " + absolutePath,
                0,
                3);
        if (made.exitCode() == 3) {
            return Optional.empty();
        }
        String tarFile = made.stdout().strip();
        try {
            return Optional.of(new GuestFileStream(tarFile, agent.open(tarFile, "r")));
        } catch (NodeDriverException e) {
            removeQuietly(tarFile);
            throw e;
        }
    }

    @Override
    public void writeArchive(String absoluteDirectory, InputStream tar) throws NodeDriverException {
        String tarFile = run(List.of("sh", "-c", MKTEMP), "make a temporary file", 0)
                .stdout()
                .strip();
        try {
            long handle = agent.open(tarFile, "w");
            try {
                byte[] chunk = new byte[GuestAgent.WRITE_BYTES];
                int n;
                while ((n = tar.readNBytes(chunk, 0, chunk.length)) > 0) {
                    agent.write(handle, chunk, n);
                }
            } catch (IOException e) {
                throw new NodeDriverException(
                        "write into " + absoluteDirectory + " of node " + name + ": reading the archive failed: "
                                + e.getMessage(),
                        e);
            } finally {
                agent.close(handle);
            }
            run(List.of("tar", "-C", absoluteDirectory, "-xf", tarFile), "extract into " + absoluteDirectory, 0);
        } finally {
            removeQuietly(tarFile);
        }
    }

    /**
     * Reboots the guest (through the agent, else ACPI) and waits until it has booted again: the agent
     * answers with a new boot id. A guest's reboot keeps the domain running, so libvirt reports no
     * lifecycle event and the driver's watch has nothing to say.
     */
    @Override
    public NodeStatus restart(Duration timeout) throws NodeDriverException {
        String before =
                run(List.of("cat", BOOT_ID), "read the boot id", 0).stdout().strip();
        try {
            try {
                domain.reboot(Domain.RebootFlags.GUEST_AGENT);
            } catch (LibvirtException e) {
                LOG.infof(
                        "reboot of node %s through its guest agent refused (%s): asking by ACPI", name, e.getMessage());
                domain.reboot(Domain.RebootFlags.ACPI_POWER_BTN);
            }
        } catch (LibvirtException e) {
            throw new NodeDriverException("reboot node " + name + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            sleep(1000);
            if (!agent.answers()) {
                continue;
            }
            try {
                String now = run(List.of("cat", BOOT_ID), "read the boot id", 0)
                        .stdout()
                        .strip();
                if (!now.isEmpty() && !now.equals(before)) {
                    LOG.infof("rebooted node %s", name);
                    return current.get();
                }
            } catch (NodeDriverException e) {
                LOG.debugf("node %s not back yet: %s", name, e.getMessage()); // the agent went away mid-call
            }
        }
        throw new NodeDriverException("node " + name + " did not boot again within " + timeout.toSeconds()
                + " s of its reboot (its guest agent does not answer, or the old boot still runs)");
    }

    private ExecResult run(List<String> command, String what, int... accepted) throws NodeDriverException {
        ExecResult r = exec(command, SHORT, 64 * 1024);
        for (int code : accepted) {
            if (r.exitCode() == code) {
                return r;
            }
        }
        throw new NodeDriverException(what + " in node " + name + ": "
                + (r.timedOut()
                        ? "no answer within " + SHORT.toSeconds() + " s"
                        : "exit code " + r.exitCode() + ": " + r.combined().strip()));
    }

    private void kill(long pid) {
        try {
            agent.exec(List.of("kill", "-KILL", Long.toString(pid)));
        } catch (NodeDriverException e) {
            LOG.warnf("could not kill command %d in node %s: %s", pid, name, e.getMessage());
        }
    }

    private void removeQuietly(String file) {
        try {
            agent.exec(List.of("rm", "-f", file));
        } catch (NodeDriverException e) {
            LOG.warnf("could not remove %s in node %s: %s", file, name, e.getMessage());
        }
    }

    private static void sleep(long millis) throws NodeDriverException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeDriverException("interrupted", e);
        }
    }

    /** A file in the guest, read chunk by chunk through the agent as the caller reads; removed at close. */
    private final class GuestFileStream extends InputStream {

        private final String path;
        private final long handle;
        private byte[] chunk = new byte[0];
        private int position;
        private boolean end;
        private boolean closed;

        GuestFileStream(String path, long handle) {
            this.path = path;
            this.handle = handle;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len == 0) {
                return 0;
            }
            while (position == chunk.length) {
                if (end) {
                    return -1;
                }
                try {
                    byte[] next = agent.read(handle);
                    if (next == null) {
                        end = true;
                    } else {
                        chunk = next;
                        position = 0;
                    }
                } catch (NodeDriverException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                agent.close(handle);
            } catch (NodeDriverException e) {
                LOG.debugf("closing %s in node %s: %s", path, name, e.getMessage());
            }
            removeQuietly(path);
        }
    }
}
