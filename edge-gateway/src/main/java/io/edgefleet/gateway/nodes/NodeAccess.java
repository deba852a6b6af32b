package io.edgefleet.gateway.nodes;

import io.edgefleet.events.payload.NodeStatus;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shell into one node for the policy tasks (scans, backups, restores, patches): run a command, read
 * or write a directory as a tar stream, restart the node. Obtained from {@link NodeDriver#access}; it
 * is bound to the node as it was found then.
 */
public interface NodeAccess {

    /** The node as found when this access was opened. */
    NodeStatus status();

    /** What the driver knows of the node without entering it (for the conformance scan). */
    NodeFacts facts();

    /**
     * Runs {@code command} (no shell unless the command is one) and waits at most {@code timeout}.
     * Output beyond {@code maxOutputBytes} per stream keeps the end.
     */
    ExecResult exec(List<String> command, Duration timeout, int maxOutputBytes) throws NodeDriverException;

    /**
     * The directory as a tar stream whose entries start with the directory's own name (like
     * {@code tar -C parent -c name}); empty when the directory does not exist. The caller closes it.
     */
    Optional<InputStream> readDirectory(String absolutePath) throws NodeDriverException;

    /** Extracts a tar stream into {@code absoluteDirectory} (which must exist). */
    void writeArchive(String absoluteDirectory, InputStream tar) throws NodeDriverException;

    /**
     * Restarts the node and waits until it runs again. Not reported as a node failure: the driver's
     * watch stays quiet about the restart and reports the node's state once it is back.
     */
    NodeStatus restart(Duration timeout) throws NodeDriverException;

    /**
     * How a command in the node ended.
     *
     * @param exitCode -1 when it timed out
     * @param stdout   standard output (its end, when long)
     * @param combined standard output and error as they came (its end, when long)
     */
    record ExecResult(int exitCode, String stdout, String combined, boolean timedOut) {}

    /**
     * @param cpus     CPU limit (0: none)
     * @param memoryMb memory limit, MiB (0: none)
     * @param labels   the spec's own labels as found on the node
     */
    record NodeFacts(
            String image,
            String hostname,
            String poolName,
            String role,
            double cpus,
            long memoryMb,
            Map<String, String> labels) {}
}
