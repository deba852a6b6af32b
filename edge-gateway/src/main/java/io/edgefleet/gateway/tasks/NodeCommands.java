package io.edgefleet.gateway.tasks;

import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriverException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The few shell commands the tasks run in a node (busybox or coreutils: sh, stat, find, head, rm, mkdir, test). */
final class NodeCommands {

    static final Duration SHORT = Duration.ofSeconds(30);
    static final int OUTPUT_LIMIT = 1024 * 1024;

    private NodeCommands() {}

    /**
     * Stats the given paths and every file found under {@code dirs} (recursively); one {@link FileStat}
     * per path. Paths travel as arguments, never inside the script.
     */
    static Map<String, FileStat> stat(NodeAccess node, List<String> paths, List<String> dirs)
            throws TaskFailedException {
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                "n=$1; shift; i=0; { for p in \"$@\"; do i=$((i+1)); if [ $i -le $n ]; then printf '%s\\n' \"$p\";"
                        + " else find \"$p\" -type f 2>/dev/null; fi; done; } | sort -u | " + FileStat.STAT_LOOP,
                "sh",
                String.valueOf(paths.size())));
        command.addAll(paths);
        command.addAll(dirs);
        NodeAccess.ExecResult result = run(node, command, "stat the node's files");
        return FileStat.parse(result.stdout());
    }

    /** The file's text (at most {@code maxBytes}); null when it does not exist. */
    static String read(NodeAccess node, String path, int maxBytes) throws TaskFailedException {
        NodeAccess.ExecResult result = run(
                node,
                List.of(
                        "sh",
                        "-c",
                        "[ -f \"$1\" ] || exit 3; head -c \"$2\" \"$1\"",
                        "sh",
                        path,
                        String.valueOf(maxBytes)),
                "read " + path,
                0,
                3);
        return result.exitCode() == 3 ? null : result.stdout();
    }

    /** SHA-256 (hex) of a file; null when it does not exist. */
    static String sha256(NodeAccess node, String path) throws TaskFailedException {
        NodeAccess.ExecResult result = run(
                node,
                List.of("sh", "-c", "[ -f \"$1\" ] || exit 3; sha256sum \"$1\"", "sh", path),
                "checksum " + path,
                0,
                3);
        if (result.exitCode() == 3) {
            return null;
        }
        String out = result.stdout().trim();
        int space = out.indexOf(' ');
        return space < 0 ? out : out.substring(0, space);
    }

    static NodeAccess.ExecResult run(NodeAccess node, List<String> command, String what, int... acceptedExitCodes)
            throws TaskFailedException {
        NodeAccess.ExecResult result;
        try {
            result = node.exec(command, SHORT, OUTPUT_LIMIT);
        } catch (NodeDriverException e) {
            throw new TaskFailedException("could not " + what + ": " + e.getMessage(), e);
        }
        if (result.timedOut()) {
            throw new TaskFailedException("could not " + what + ": no answer within " + SHORT.toSeconds() + " s");
        }
        int[] accepted = acceptedExitCodes.length == 0 ? new int[] {0} : acceptedExitCodes;
        for (int code : accepted) {
            if (result.exitCode() == code) {
                return result;
            }
        }
        throw new TaskFailedException(
                "could not " + what + " (exit code " + result.exitCode() + "): " + lastLine(result.combined()));
    }

    static String lastLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl < 0 ? t : t.substring(nl + 1);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
