package io.edgefleet.policy.repository;

public enum RunTrigger {
    SCHEDULED,
    ON_DEMAND
}
