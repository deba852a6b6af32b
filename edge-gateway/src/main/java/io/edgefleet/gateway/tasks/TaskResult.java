package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.TaskOutput;

import java.util.List;

/**
 * What a task that ran produced: the node as it is afterwards (when known), the task's output and a
 * note for the operator (e.g. the backup paths that were skipped), or null.
 */
public record TaskResult(NodeStatus node, TaskOutput output, String message) {

    static TaskResult findings(NodeStatus node, List<TaskOutput.Finding> findings) {
        return new TaskResult(node, new TaskOutput(List.copyOf(findings), null, null), summary(findings));
    }

    /** "12 checks: 10 passed, 1 failed, 1 warning" (and ", 3 not carried out" when some are ERROR). */
    static String summary(List<TaskOutput.Finding> findings) {
        long failed = count(findings, TaskOutput.FindingStatus.FAIL);
        long warned = count(findings, TaskOutput.FindingStatus.WARN);
        long errors = count(findings, TaskOutput.FindingStatus.ERROR);
        return findings.size() + " checks: " + count(findings, TaskOutput.FindingStatus.PASS) + " passed, " + failed
                + " failed, " + warned + " warning" + (warned == 1 ? "" : "s")
                + (errors == 0 ? "" : ", " + errors + " not carried out (ERROR)");
    }

    private static long count(List<TaskOutput.Finding> findings, TaskOutput.FindingStatus status) {
        return findings.stream().filter(f -> f.status() == status).count();
    }
}
