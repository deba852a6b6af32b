package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.Validator;

import java.util.UUID;

/**
 * Path, query and body ids, checked at the edge: alone (a 400 at once), or into a {@link Validator} so that a request
 * with several bad parameters (and a bad body) is one 400 listing all of them.
 */
final class Ids {

    /** Longest id echoed back in a problem (a megabyte of path is not worth repeating). */
    private static final int SHOWN = 64;

    private Ids() {}

    static UUID uuid(String field, String value) {
        Validator v = new Validator();
        UUID id = uuid(v, field, value);
        v.throwIfInvalid();
        return id;
    }

    static String clusterId(String field, String value) {
        Validator v = new Validator();
        String id = clusterId(v, field, value);
        v.throwIfInvalid();
        return id;
    }

    /** A required or optional UUID; null when absent or bad (then the validator holds why). */
    static UUID uuid(Validator v, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        v.require(false, field, "'" + shown(value) + "' is not an id (UUID)");
        return null;
    }

    static String clusterId(Validator v, String field, String value) {
        if (value != null && !PolicyRequest.CLUSTER_ID.matcher(value).matches()) {
            v.require(false, field, "'" + shown(value) + "' is not a cluster id");
            return null;
        }
        return value;
    }

    static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
    }
}
