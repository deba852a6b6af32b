package io.edgefleet.policy.repository;

public enum RunKind {
    SCAN,
    BACKUP,
    RESTORE,
    OS_PATCH
}
