package io.edgefleet.kit.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Collects every field error of a request, then fails once with all of them. */
public final class Validator {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public Validator require(boolean condition, String field, String message) {
        if (!condition) {
            errors.add(new Problem.FieldError(field, message));
        }
        return this;
    }

    /** Checks a required text against a length range and a pattern; returns whether it passed. */
    public boolean text(String value, String field, int min, int max, Pattern pattern, String patternHint) {
        if (value == null || value.isEmpty()) {
            errors.add(new Problem.FieldError(field, "is required"));
            return false;
        }
        if (value.length() < min || value.length() > max) {
            errors.add(new Problem.FieldError(field, "must be " + min + " to " + max + " characters long"));
            return false;
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            errors.add(new Problem.FieldError(field, patternHint));
            return false;
        }
        return true;
    }

    /**
     * Adds "a JSON body is required" when there is none (JAX-RS hands an operation null for an empty body);
     * returns whether there is a body, so that its fields are checked only then.
     */
    public boolean requireBody(Object body) {
        if (body == null) {
            errors.add(ProblemException.MISSING_BODY);
        }
        return body != null;
    }

    /**
     * Runs a check that throws its first problem (a {@link QueryParams} parser, a path id check) and adds that 400's
     * field errors here instead, so that one answer lists every bad input; null when the check failed. Any other
     * problem is thrown as it is.
     */
    public <T> T collect(Supplier<T> check) {
        try {
            return check.get();
        } catch (ProblemException e) {
            Problem problem = e.toProblem(null);
            if (e.status() != 400 || problem.errors() == null) {
                throw e;
            }
            errors.addAll(problem.errors());
            return null;
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** @throws ProblemException 400 listing every error, if any */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
