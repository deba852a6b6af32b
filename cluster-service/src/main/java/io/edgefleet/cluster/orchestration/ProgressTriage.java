package io.edgefleet.cluster.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which command progress of a batch of reports is worth applying (no I/O: {@link ReportBatch} asks it). Applying
 * progress rewrites the command's task (a new entry in the cluster's live feed) under the cluster's lock, which is most
 * of a report's cost when every command brings a "started" and a result. It is not worth it when
 * <ul>
 *   <li>the same batch holds the command's result: the result finishes the task, the progress has nothing to add;
 *   <li>it is the gateway's "accepted" or "started" for a task still RUNNING and it would move the task's timeout on by less than
 *       {@link #QUIET_SHARE} of the command timeout: it only says the command was delivered, which the gateway command
 *       row records already ({@code gateway_command.last_heard_at}, read by the timeout to tell "never took" from
 *       "no report since").
 * </ul>
 * Other progress ("booting", a repeat's "still running", a first word after a long silence: a command delivered late)
 * keeps the command alive as before.
 */
public final class ProgressTriage {

    /** What a gateway says as soon as it takes a command: queued ("accepted"), then running ("started"). */
    public static final Set<String> FIRST_WORDS = Set.of("accepted", "started");
    /** A first word that would move the timeout on by less than this share of it is not worth a rewrite. */
    static final int QUIET_SHARE = 10;

    private ProgressTriage() {}

    /** The task as the progress finds it (read without the cluster's lock: only to skip it). */
    public record TaskNow(boolean running, Instant lastReportAt) {}

    /**
     * @param task            the command's task, or null when there is none (a report about no command of ours)
     * @param resultsInBatch  the command ids the batch holds a result for
     */
    public static boolean worthApplying(
            String commandId,
            String step,
            TaskNow task,
            Set<String> resultsInBatch,
            Duration commandTimeout,
            Instant now) {
        if (commandId != null && resultsInBatch.contains(commandId)) {
            return false;
        }
        if (task == null || !task.running()) {
            return false; // progress about no task, or a finished one: the full path would ignore it too
        }
        boolean firstWordSoon = now.isBefore(task.lastReportAt().plus(commandTimeout.dividedBy(QUIET_SHARE)));
        return !(FIRST_WORDS.contains(step) && firstWordSoon);
    }
}
