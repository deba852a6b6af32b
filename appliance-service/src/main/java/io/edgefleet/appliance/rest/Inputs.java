package io.edgefleet.appliance.rest;

import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;

import java.util.function.Supplier;

/**
 * Runs checks that throw on their first problem (QueryParams, the CSR check) so that a request's problems are
 * collected in one {@link Validator} and answered together: one 400 whose {@code errors} lists all of them.
 */
public final class Inputs {

    private Inputs() {
    }

    /** The parsed value, or null after adding the 400's errors to {@code v}; any other problem is thrown as it is. */
    public static <T> T parse(Validator v, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (ProblemException e) {
            if (e.status() != 400) {
                throw e;
            }
            Problem problem = e.toProblem(null);
            if (problem.errors() == null) {
                v.require(false, "body", problem.detail());
            } else {
                problem.errors().forEach(error -> v.require(false, error.field(), error.message()));
            }
            return null;
        }
    }
}
