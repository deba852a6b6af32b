package io.edgefleet.kit.rest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Query parameters are taken as text and parsed here, so a bad value is a 400 naming the parameter
 * (JAX-RS would answer a failed conversion with a bare 404). Each parser either throws that 400 at once or, given a
 * {@link Validator}, adds it there so that one answer lists every bad parameter (and a bad body).
 */
public final class QueryParams {

    private QueryParams() {}

    /** @throws ProblemException 400 naming {@code field} when the value is none of the constants */
    public static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        Validator v = new Validator();
        E parsed = enumValue(v, field, value, type);
        v.throwIfInvalid();
        return parsed;
    }

    /** The constant, or null when the value is absent or bad (then {@code v} holds why). */
    public static <E extends Enum<E>> E enumValue(Validator v, String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.require(
                    false,
                    field,
                    "must be one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(Enum::name)
                                    .collect(Collectors.joining(", ")));
            return null;
        }
    }

    /** @throws ProblemException 400 naming {@code field} when the value is not a whole number from min to max */
    public static int intValue(String field, String value, int defaultValue, int min, int max) {
        Validator v = new Validator();
        int parsed = intValue(v, field, value, defaultValue, min, max);
        v.throwIfInvalid();
        return parsed;
    }

    /** The number, or {@code defaultValue} when the value is absent or bad (then {@code v} holds why). */
    public static int intValue(Validator v, String field, String value, int defaultValue, int min, int max) {
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
}
