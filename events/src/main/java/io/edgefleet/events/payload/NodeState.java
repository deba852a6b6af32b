package io.edgefleet.events.payload;

/** What a gateway observes of a node on its appliance. */
public enum NodeState {
    CREATING,
    RUNNING,
    STOPPED,
    DELETED,
    FAILED
}
