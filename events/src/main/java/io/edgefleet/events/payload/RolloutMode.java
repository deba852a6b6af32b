package io.edgefleet.events.payload;

/**
 * How a profile's running clusters take a re-link or a profile change: {@code IMMEDIATE} rolls each at once,
 * {@code ROLLOUT} makes cluster-service create a fleet rollout over them with the profile's default strategy.
 */
public enum RolloutMode {
    IMMEDIATE,
    ROLLOUT
}
