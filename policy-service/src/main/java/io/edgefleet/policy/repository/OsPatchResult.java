package io.edgefleet.policy.repository;

/**
 * What cluster-service answered to an OS patch run of mode RELINK.
 *
 * @param fromVersion the OS release before (null when it failed before anything changed)
 * @param toVersion   the OS release rolled onto (null when it failed before anything changed)
 * @param message     what happened, as cluster-service put it
 */
public record OsPatchResult(String fromVersion, String toVersion, String message) {}
