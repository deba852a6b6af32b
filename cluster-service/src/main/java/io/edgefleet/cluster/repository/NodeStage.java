package io.edgefleet.cluster.repository;

/** The node state machine of the design: PENDING → CREATING → RUNNING → DELETING → DELETED, or FAILED. */
public enum NodeStage {
    PENDING,
    CREATING,
    RUNNING,
    DELETING,
    DELETED,
    FAILED
}
