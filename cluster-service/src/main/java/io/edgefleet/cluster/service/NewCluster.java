package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.CloudConfig;
import io.edgefleet.cluster.repository.PoolSpec;

import java.util.List;
import java.util.Map;

/**
 * A cluster definition whose shape was checked at the API edge; {@link Preflight} checks it against what we know.
 *
 * @param policyIds policies (of policy-service) to attach the cluster to
 */
public record NewCluster(
        String name,
        String description,
        Map<String, String> tags,
        String profileId,
        List<String> addonProfileIds,
        Map<String, String> packValues,
        CloudConfig cloudConfig,
        List<PoolSpec> pools,
        List<String> policyIds) {}
