package io.edgefleet.profile.service;

import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;

/**
 * Helpers over service-kit's {@link Validator}, which only reveals its errors by throwing: checks that
 * run in a validator of their own (to know whether that part passed) copy their errors into the request's.
 */
public final class Validation {

    private Validation() {}

    /** Copies the errors of {@code part} into {@code into}; returns true when {@code part} had none. */
    public static boolean merge(Validator part, Validator into) {
        try {
            part.throwIfInvalid();
            return true;
        } catch (ProblemException e) {
            e.toProblem(null).errors().forEach(error -> into.require(false, error.field(), error.message()));
            return false;
        }
    }

    /** The errors of {@code v} as one sentence, or null when there are none. */
    public static String describe(Validator v) {
        try {
            v.throwIfInvalid();
            return null;
        } catch (ProblemException e) {
            return e.getMessage();
        }
    }
}
