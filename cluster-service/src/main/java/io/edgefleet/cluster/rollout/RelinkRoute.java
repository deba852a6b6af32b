package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.ClusterStatus;

/**
 * What a change of a profile (a train re-link or an update of its layers: {@link ProfileChange}) does to one cluster
 * built from it. A cluster whose stack it does not change is not touched. A profile whose strategy is IMMEDIATE rolls
 * every other cluster at once (as before rollouts); a ROLLOUT profile hands its RUNNING clusters to one new rollout,
 * except those something else already governs.
 */
public enum RelinkRoute {
    /** Take the re-linked layers now (an OS release may still wait for the cluster's OS patch schedule). */
    NOW,
    /** A target of the rollout the re-link creates. */
    ROLLOUT,
    /** Not touched: a rollout not finished already holds it. */
    LEAVE,
    /** Not touched: the change leaves the stack the cluster runs as it is (e.g. only the description or tags). */
    UNCHANGED;

    /**
     * @param stackChanged        the cluster's copy of the profile differs from the changed one in what it runs
     * @param rollsOut            the profile's strategy is ROLLOUT
     * @param ownProfile          the re-linked profile is the cluster's own (not one of its add-ons)
     * @param inUnfinishedRollout the cluster is a target of a RUNNING or PAUSED rollout
     * @param osScheduleHeld      the cluster has an OS patch window that holds OS releases for its schedule
     */
    public static RelinkRoute of(
            boolean stackChanged,
            boolean rollsOut,
            boolean ownProfile,
            ClusterStatus status,
            boolean inUnfinishedRollout,
            boolean osScheduleHeld) {
        if (!stackChanged) {
            return UNCHANGED;
        }
        if (!rollsOut) {
            return NOW;
        }
        if (inUnfinishedRollout) {
            return LEAVE; // that rollout decides when the cluster changes
        }
        // a rollout changes a cluster's own profile of a RUNNING cluster; add-ons, clusters being built or changed,
        // failed ones (they take the layers on retry) and clusters under an OS patch schedule keep today's path
        if (!ownProfile || status != ClusterStatus.RUNNING || osScheduleHeld) {
            return NOW;
        }
        return ROLLOUT;
    }
}
