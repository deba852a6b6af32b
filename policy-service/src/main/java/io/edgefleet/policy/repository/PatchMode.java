package io.edgefleet.policy.repository;

/** How an OS_PATCH policy patches its clusters. */
public enum PatchMode {
    /** cluster-service moves the OS layer to the newest release of its version train and rolls the nodes per pool strategy. */
    RELINK,
    /** a patch command runs inside each node, one node at a time, rebooting it if required. */
    NODE_COMMAND
}
