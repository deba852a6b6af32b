package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;

/** page and size of a list: from 0, and 1 to 200 (default 50). */
record Paging(int page, int size) {

    static Paging of(Validator v, String page, String size) {
        return new Paging(
                QueryParams.intValue(v, "page", page, 0, 0, 1_000_000),
                QueryParams.intValue(v, "size", size, 50, 1, 200));
    }
}
