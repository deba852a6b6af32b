package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.Validator;

import java.util.UUID;

/** Path and query ids, checked at the edge (one parameter alone; {@link Inputs} collects several). */
final class Ids {

    private Ids() {
    }

    static UUID uuid(String field, String value) {
        Validator v = new Validator();
        UUID id = Inputs.uuid(v, field, value);
        v.throwIfInvalid();
        return id;
    }

    static String clusterId(String field, String value) {
        Validator v = new Validator();
        String id = Inputs.clusterId(v, field, value);
        v.throwIfInvalid();
        return id;
    }
}
