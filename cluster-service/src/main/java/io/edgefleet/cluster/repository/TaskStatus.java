package io.edgefleet.cluster.repository;

public enum TaskStatus {
    RUNNING,
    SUCCEEDED,
    FAILED
}
