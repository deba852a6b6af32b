package io.edgefleet.policy.repository;

public enum RunStatus {
    /** not run: another run was under way on the cluster, or the cluster was not running */
    SKIPPED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** a backup whose archives were deleted from the store by its retention */
    EXPIRED
}
