package io.edgefleet.events.payload;

/**
 * A scan run's checks by outcome, over every node and scan kind.
 *
 * @param error checks the gateway could not carry out (e.g. the node unreachable): neither passed nor failed
 */
public record ScanCounts(long passed, long failed, long warned, long error) {}
