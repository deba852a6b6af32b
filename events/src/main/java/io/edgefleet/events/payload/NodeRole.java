package io.edgefleet.events.payload;

public enum NodeRole {
    MASTER,
    WORKER
}
