package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.TaskOutput;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * PATCH: runs the policy's command ({@code sh -c}) in the node; when it leaves
 * {@code /var/run/reboot-required} behind and the policy allows it, restarts the node (not reported as a
 * node failure, see {@link NodeAccess#restart}) and removes the marker. After a gateway crash the command
 * runs again: patch commands must be safe to repeat (package managers are).
 */
final class NodePatch {

    private static final Logger LOG = Logger.getLogger(NodePatch.class);
    static final String REBOOT_MARKER = "/var/run/reboot-required";
    static final int DEFAULT_TIMEOUT_SECONDS = 600;
    static final int OUTPUT_BYTES = 4 * 1024;
    static final int MAX_COMMAND_LENGTH = 64 * 1024;
    static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);
    /** $1 seconds, $2 the command; without a `timeout` in the node the gateway's own wait is the limit. */
    private static final String WITH_TIMEOUT =
            "if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL \"$1\" sh -c \"$2\";"
                    + " else exec sh -c \"$2\"; fi";

    TaskResult run(NodeAccess node, NodeTask.Patch patch, TaskProgress progress) throws TaskFailedException {
        String command = patch.command();
        if (command == null || command.isBlank() || command.length() > MAX_COMMAND_LENGTH || command.indexOf(0) >= 0) {
            throw new TaskFailedException("patch command must be 1 to " + MAX_COMMAND_LENGTH + " characters (no NUL)");
        }
        int timeout = TaskInputs.timeoutSeconds(patch.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS);
        progress.step("patching", "running the patch command (timeout " + timeout + " s)");
        NodeAccess.ExecResult result;
        long started = System.nanoTime();
        try {
            // Docker cannot end an exec: the node's own `timeout` (coreutils or busybox) kills the command,
            // and the gateway waits a little longer than that
            result = node.exec(
                    List.of("sh", "-c", WITH_TIMEOUT, "sh", String.valueOf(timeout), command),
                    Duration.ofSeconds(timeout + 10L),
                    OUTPUT_BYTES);
        } catch (NodeDriverException e) {
            throw new TaskFailedException("could not run the patch command: " + e.getMessage(), e);
        }
        String output = tail(result.combined());
        boolean killedByTimeout = result.exitCode() == 137
                && System.nanoTime() - started >= Duration.ofSeconds(timeout).toNanos();
        if (result.timedOut() || killedByTimeout) {
            throw new TaskFailedException(
                    "the patch command did not end within " + timeout + " s",
                    new TaskOutput(null, null, new TaskOutput.PatchOutcome(-1, output, false, false)),
                    null);
        }
        if (result.exitCode() != 0) {
            throw new TaskFailedException(
                    "the patch command failed with exit code " + result.exitCode() + ": "
                            + NodeCommands.lastLine(output),
                    new TaskOutput(null, null, new TaskOutput.PatchOutcome(result.exitCode(), output, false, false)),
                    null);
        }
        boolean rebootRequired = NodeCommands.run(
                                node,
                                List.of("sh", "-c", "[ -e \"$1\" ]", "sh", REBOOT_MARKER),
                                "look for " + REBOOT_MARKER,
                                0,
                                1)
                        .exitCode()
                == 0;
        NodeStatus after = node.status();
        boolean rebooted = false;
        if (rebootRequired && patch.rebootIfRequired()) {
            progress.step("rebooting", "the patch asks for a reboot");
            try {
                after = node.restart(RESTART_TIMEOUT);
            } catch (NodeDriverException e) {
                throw new TaskFailedException(
                        "patched, but the reboot failed: " + e.getMessage(),
                        new TaskOutput(null, null, new TaskOutput.PatchOutcome(0, output, true, false)),
                        e);
            }
            // the marker outlives a container restart (it is in the node's filesystem): the reboot is done
            NodeCommands.run(node, List.of("rm", "-f", REBOOT_MARKER), "remove " + REBOOT_MARKER);
            rebooted = true;
            LOG.infof("node %s rebooted after its patch", after.nodeId());
        }
        return new TaskResult(
                after,
                new TaskOutput(null, null, new TaskOutput.PatchOutcome(0, output, rebootRequired, rebooted)),
                rebootRequired && !rebooted ? "a reboot is required (rebootIfRequired is off)" : null);
    }

    /** The output's last 4 KiB (a cut multi-byte character at the start is dropped). */
    static String tail(String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= OUTPUT_BYTES) {
            return output;
        }
        String cut = new String(bytes, bytes.length - OUTPUT_BYTES, OUTPUT_BYTES, StandardCharsets.UTF_8);
        return cut.startsWith("\uFFFD") ? cut.substring(1) : cut;
    }
}
