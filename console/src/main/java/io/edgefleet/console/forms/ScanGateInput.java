package io.edgefleet.console.forms;

import java.util.Locale;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * A rollout's scan gate as typed on a form (the profile form's default strategy and the rollout form read it alike):
 * a policy id, what fails the cluster (FAILED or WARNED, any case) and a timeout. Each form turns it into its own
 * service's request type.
 *
 * @param policyId null: blank (left for the service to name: it requires one) or not an id (then an error was given)
 * @param failOn   {@code FAILED}, {@code WARNED}, or null (blank: the service's default; unreadable: an error was given)
 * @param timeout  as typed, null when blank (the service checks it)
 */
public record ScanGateInput(UUID policyId, String failOn, String timeout) {

    /**
     * The gate, or null when none of its fields is filled in. An unreadable policy id or fail-on is reported through
     * {@code error} at {@code policyField} / {@code failOnField}.
     */
    public static ScanGateInput read(
            String policy,
            String failOn,
            String timeout,
            String policyField,
            String failOnField,
            BiConsumer<String, String> error) {
        String p = blankToNull(policy);
        String f = blankToNull(failOn);
        String t = blankToNull(timeout);
        if (p == null && f == null && t == null) {
            return null;
        }
        UUID id = null;
        if (p != null) {
            try {
                id = UUID.fromString(p);
            } catch (IllegalArgumentException e) {
                error.accept(policyField, "not a policy id: " + p);
            }
        }
        String fails = f == null ? null : f.toUpperCase(Locale.ROOT);
        if (fails != null && !fails.equals("FAILED") && !fails.equals("WARNED")) {
            error.accept(failOnField, "FAILED or WARNED");
            fails = null;
        }
        return new ScanGateInput(id, fails, t);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
