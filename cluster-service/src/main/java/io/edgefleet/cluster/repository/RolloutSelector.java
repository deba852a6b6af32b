package io.edgefleet.cluster.repository;

import java.util.List;
import java.util.Map;

/**
 * Which clusters a rollout changes, as asked: a cluster is a target when it matches every part given (built from
 * one of {@code profileIds}, carrying every tag of {@code tags}, one of {@code clusterIds}). Empty parts match all.
 */
public record RolloutSelector(List<String> profileIds, Map<String, String> tags, List<String> clusterIds) {}
