package io.edgefleet.profile.rest;

import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks shared by the request bodies and path parameters of this service. */
final class RequestRules {

    /** Profile and registry names: letters, digits, '.', '_', '-', starting and ending with a letter or digit. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

    static final String NAME_HINT =
            "may contain only letters, digits, '.', '_' and '-', and must start and end with a letter or digit";
    /** Profile versions: MAJOR.MINOR.PATCH. */
    static final Pattern PROFILE_VERSION = Pattern.compile("(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})\\.(0|[1-9]\\d{0,5})");

    static final String PROFILE_VERSION_HINT = "must be MAJOR.MINOR.PATCH, e.g. 1.0.0";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");
    static final int MAX_DESCRIPTION = 1000;
    /** The 413 every operation with a body may answer (service-kit's BodySizeLimit, {@code edgefleet.api.max-body-bytes}). */
    static final String BODY_TOO_LARGE = "The body is larger than the API's limit (64 KiB)";

    private RequestRules() {}

    static void description(String description, String field, Validator v) {
        if (description == null) {
            return;
        }
        v.require(description.length() <= MAX_DESCRIPTION, field, "must be at most " + MAX_DESCRIPTION + " characters");
        v.require(!CONTROL.matcher(description).find(), field, "must not contain control characters");
    }

    static UUID uuid(String value, String field) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProblemException.invalid(field, "must be an id like 3f2a5c1e-8d4b-4c1a-9f7e-2b6d8e0a1c3d");
    }

    /** The id, or null with the problem added to {@code v} (so one answer lists every bad input). */
    static UUID uuid(String value, String field, Validator v) {
        return v.collect(() -> uuid(value, field));
    }

    /** A registry id: {@code builtin} or a UUID. */
    static String registryId(String value, String field) {
        return "builtin".equals(value) ? value : uuid(value, field).toString();
    }

    /** The registry id, or null with the problem added to {@code v}. */
    static String registryId(String value, String field, Validator v) {
        return v.collect(() -> registryId(value, field));
    }

    static <E extends Enum<E>> E enumValue(String value, Class<E> type, String field, Validator v) {
        if (value == null || value.isBlank()) {
            v.require(false, field, "is required: one of " + names(type));
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.require(false, field, "must be one of " + names(type));
            return null;
        }
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return String.join(
                ", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }
}
