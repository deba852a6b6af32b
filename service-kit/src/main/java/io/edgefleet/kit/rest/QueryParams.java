package io.edgefleet.kit.rest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Query parameters are taken as text and parsed here, so a bad value is a 400 naming the parameter
 * (JAX-RS would answer a failed conversion with a bare 404).
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    public static int intValue(String field, String value, int defaultValue, int min, int max) {
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
        throw ProblemException.invalid(field, "must be a whole number from " + min + " to " + max);
    }
}
