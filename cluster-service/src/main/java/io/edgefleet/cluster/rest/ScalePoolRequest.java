package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.kit.rest.Validator;

/**
 * Body of {@code PUT /v1/clusters/{id}/pools/{pool}}: the pool's new size, and optionally its rolling
 * strategy from now on.
 */
public record ScalePoolRequest(Integer size, RollingStrategy rollingStrategy) {

    void validate() {
        Validator v = new Validator();
        v.require(size != null, "size", "is required");
        v.throwIfInvalid();
    }
}
