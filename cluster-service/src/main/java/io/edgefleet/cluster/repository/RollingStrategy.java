package io.edgefleet.cluster.repository;

/** How a pool replaces a node: launch the new one first, or remove the old one first. */
public enum RollingStrategy {
    EXPAND_FIRST,
    CONTRACT_FIRST
}
