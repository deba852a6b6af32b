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

    /** "12 checks: 10 passed, 1 failed, 1 warning". */
    static String summary(List<TaskOutput.Finding> findings) {
        long failed = findings.stream()
                .filter(f -> f.status() == TaskOutput.FindingStatus.FAIL)
                .count();
        long warned = findings.stream()
                .filter(f -> f.status() == TaskOutput.FindingStatus.WARN)
                .count();
        return findings.size() + " checks: " + (findings.size() - failed - warned) + " passed, " + failed + " failed, "
                + warned + " warning" + (warned == 1 ? "" : "s");
    }
}
