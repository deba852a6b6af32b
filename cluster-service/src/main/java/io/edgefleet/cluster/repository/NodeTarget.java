package io.edgefleet.cluster.repository;

/** What the orchestrator wants of a node: that it runs, or that it is gone. */
public enum NodeTarget {
    PRESENT,
    ABSENT
}
