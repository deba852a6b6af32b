package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A SCAN policy offered for a rollout's scan gate (the profile form's default strategy and the rollout form): its id
 * and how it is shown.
 */
public record ScanPolicyChoice(String id, String label) {

    /**
     * The tenant's SCAN policies by name ({@code policies} may hold other kinds), and {@code chosen} when it is not
     * among them (deleted since, or policy-service did not answer: {@code policies} null), so it stays selectable.
     */
    public static List<ScanPolicyChoice> offered(List<PolicyView> policies, String chosen) {
        List<ScanPolicyChoice> choices = new ArrayList<>();
        if (policies != null) {
            policies.stream()
                    .filter(p -> p.getKind() == PolicyKind.SCAN && p.getId() != null)
                    .sorted(Comparator.comparing((PolicyView p) -> p.getName() == null ? "" : p.getName()))
                    .forEach(p -> choices.add(new ScanPolicyChoice(p.getId().toString(), p.getName())));
        }
        if (!chosen.isEmpty() && choices.stream().noneMatch(c -> c.id().equalsIgnoreCase(chosen))) {
            choices.add(new ScanPolicyChoice(chosen, chosen + " (not among the tenant's SCAN policies)"));
        }
        return choices;
    }
}
