package io.edgefleet.console.forms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form's errors, each at the form field it belongs to (the page shows it there; {@link #FORM} for one at no field),
 * in the order they were found; two at one field are joined ("a; b"). The forms' own checks and the service's
 * problem+json field errors, once placed, end up here alike.
 */
public abstract class FormWithErrors {

    /** Errors that belong to no field of the form (shown above it). */
    public static final String FORM = "form";

    /** By form field, in the order found (the page's summary lists them so). */
    protected final Map<String, String> errors = new LinkedHashMap<>();

    /** Adds {@code message} at {@code field}, after any error already there. */
    protected final void addError(String field, String message) {
        errors.merge(field, message, (a, b) -> a + "; " + b);
    }

    public Map<String, String> errors() {
        return errors;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The error at {@code field}, or null. */
    public String error(String field) {
        return errors.get(field);
    }
}
