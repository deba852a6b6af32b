package io.edgefleet.cluster.rollout;

import java.time.Instant;

/**
 * Where a SCANNING cluster's scan stands, as the caller recorded it from policy-service's answer
 * ({@code policy.run-changed} carrying the request id). The planner decides from it without I/O.
 *
 * @param lastSentAt when the request was last sent (a resend is due after the resend interval while {@code runId} is
 *                   null)
 * @param runId      the run answering it, null while none was seen
 * @param runStatus  its status: RUNNING, or once ended SUCCEEDED, FAILED or SKIPPED; null while none was seen
 * @param reason     why it was skipped or failed, else null
 * @param passed     its checks by outcome once it ended (0 before)
 * @param error      checks that could not be carried out
 */
public record ScanOutcome(
        Instant lastSentAt,
        String runId,
        String runStatus,
        String reason,
        long passed,
        long failed,
        long warned,
        long error) {

    /** Just asked: no answer yet. */
    public static ScanOutcome requested(Instant at) {
        return new ScanOutcome(at, null, null, null, 0, 0, 0, 0);
    }

    public boolean ended() {
        return runStatus != null && !runStatus.equals("RUNNING");
    }

    String counts() {
        return failed + " failed, " + warned + " warned, " + passed + " passed"
                + (error > 0 ? ", " + error + " not carried out" : "");
    }
}
