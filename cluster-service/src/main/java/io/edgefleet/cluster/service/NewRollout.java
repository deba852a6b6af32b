package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.RolloutSelector;
import io.edgefleet.cluster.rollout.RolloutStrategy;

/** A validated rollout request (from {@code rest.CreateRolloutRequest#validated}). */
public record NewRollout(String name, String profileId, RolloutSelector selector, RolloutStrategy strategy) {}
