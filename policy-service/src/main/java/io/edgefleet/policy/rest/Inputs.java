package io.edgefleet.policy.rest;

import io.edgefleet.kit.rest.Validator;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Path and query parameters parsed into one {@link Validator}, so that a request with several bad parameters (and a
 * bad body) is one 400 listing all of them. Same rules and messages as service-kit's {@code QueryParams}, which
 * fails on the first.
 */
final class Inputs {

    /** Longest id echoed back in a problem (a megabyte of path is not worth repeating). */
    private static final int SHOWN = 64;

    private Inputs() {
    }

    static <E extends Enum<E>> E enumValue(Validator v, String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.require(false, field, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
            return null;
        }
    }

    static int intValue(Validator v, String field, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        v.require(false, field, "must be a whole number from " + min + " to " + max);
        return defaultValue;
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

    /** page and size of a list: from 0, and 1 to 200 (default 50). */
    record Paging(int page, int size) {
        static Paging of(Validator v, String page, String size) {
            return new Paging(intValue(v, "page", page, 0, 0, 1_000_000), intValue(v, "size", size, 50, 1, 200));
        }
    }
}
