package io.edgefleet.kit.rest;

import java.util.List;
import java.util.function.Function;

/** One page of a list; {@code page} counts from 0. */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** The same page with each item turned into {@code view}'s answer (a stored row into what the API shows). */
    public <R> Page<R> map(Function<? super T, ? extends R> view) {
        return new Page<>(items.stream().<R>map(view).toList(), page, size, total);
    }
}
