package io.edgefleet.console.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.FieldError;
import io.edgefleet.sdk.model.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's refusal as the console shows it: the HTTP status, the RFC 9457 problem's title and detail, and its
 * field errors by the field names the service uses ({@code uid}, {@code tags.name}, ...).
 */
public record ServiceProblem(int status, String title, String detail, Map<String, String> fieldErrors) {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Reads the problem in the answer of a failed SDK call (any body that is not a problem keeps only the status). */
    public static ServiceProblem of(ApiException e) {
        Problem problem = null;
        String body = e.getResponseBody();
        if (body != null && !body.isBlank()) {
            try {
                problem = JSON.readValue(body, Problem.class);
            } catch (Exception notAProblem) {
                // a proxy's HTML page or an empty answer: the status says enough
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (problem != null) {
            List<FieldError> errors = problem.getErrors() == null ? List.of() : problem.getErrors();
            for (FieldError error : errors) {
                if (error.getField() != null) {
                    fields.merge(error.getField(), error.getMessage(), (a, b) -> a + "; " + b);
                }
            }
            if (fields.isEmpty() && problem.getField() != null) {
                fields.put(problem.getField(), problem.getDetail());
            }
        }
        return new ServiceProblem(
                e.getCode(),
                problem == null ? null : problem.getTitle(),
                problem == null ? null : problem.getDetail(),
                fields);
    }
}
