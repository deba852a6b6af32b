package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.ClusterStatus;

/**
 * What a re-link of a profile does to one cluster built from it. A profile whose strategy is IMMEDIATE rolls every
 * cluster at once (as before rollouts); a ROLLOUT profile hands its RUNNING clusters to one new rollout, except those
 * something else already governs.
 */
public enum RelinkRoute {
    /** Take the re-linked layers now (an OS release may still wait for the cluster's OS patch schedule). */
    NOW,
    /** A target of the rollout the re-link creates. */
    ROLLOUT,
    /** Not touched: a rollout not finished already holds it. */
    LEAVE;

    /**
     * @param rollsOut            the profile's strategy is ROLLOUT
     * @param ownProfile          the re-linked profile is the cluster's own (not one of its add-ons)
     * @param inUnfinishedRollout the cluster is a target of a RUNNING or PAUSED rollout
     * @param osScheduleHeld      the cluster has an OS patch window that holds OS releases for its schedule
     */
    public static RelinkRoute of(
            boolean rollsOut,
            boolean ownProfile,
            ClusterStatus status,
            boolean inUnfinishedRollout,
            boolean osScheduleHeld) {
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
