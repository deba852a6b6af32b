package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.ProblemException;

import java.util.UUID;

/** Path and query ids, checked at the edge. */
final class Ids {

    private Ids() {
    }

    static UUID uuid(String field, String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "'" + value + "' is not an id (UUID)");
        }
    }

    static String clusterId(String field, String value) {
        if (value != null && !PolicyRequest.CLUSTER_ID.matcher(value).matches()) {
            throw ProblemException.invalid(field, "'" + value + "' is not a cluster id");
        }
        return value;
    }
}
