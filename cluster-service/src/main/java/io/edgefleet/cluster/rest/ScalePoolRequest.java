package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.repository.RollingStrategy;
import io.edgefleet.kit.rest.Validator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /v1/clusters/{id}/pools/{pool}}: the pool's new size, and optionally its rolling
 * strategy from now on.
 */
public record ScalePoolRequest(
        @Schema(
                required = true,
                minimum = "0",
                maximum = "100",
                description = "a master pool has 1, 3 or 5 nodes, a worker pool 0 to 100")
        Integer size,

        RollingStrategy rollingStrategy) {

    void validate(Validator v) {
        v.require(size != null, "size", "is required");
    }
}
