package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Validator;

/** page and size of a list: from 0, and 1 to 200 (default 50). */
record Paging(int page, int size) {

    static Paging of(Validator v, PageQuery query) {
        return new Paging(query.page(v), query.size(v));
    }
}
