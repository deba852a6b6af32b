package io.edgefleet.events.payload;

/** What a policy does to the clusters it is attached to. */
public enum PolicyKind {
    OS_PATCH,
    SCAN,
    BACKUP
}
