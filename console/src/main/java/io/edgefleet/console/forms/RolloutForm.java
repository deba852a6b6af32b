package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CreateRolloutRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RolloutScanRequest;
import io.edgefleet.sdk.model.SelectorRequest;
import io.edgefleet.sdk.model.StrategyRequest;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "create a rollout" form: name, the profile version to roll out, the target clusters (by the profile versions
 * they have, by tags, by picking them — any mix; cluster-service takes the clusters matching all given) and the
 * strategy (canaries, waves, concurrency, failures tolerated, bake time, offline mode and timeouts; blank = the
 * service's default), with its scan gate — a SCAN policy of the tenant that must pass on each cluster before it counts
 * as healthy, what fails it, how long to wait — only when one of the gate's fields is filled in. Numbers that are not
 * numbers are the form's own errors; the service's field errors ({@code strategy.canaries}, {@code selector.tags.env},
 * {@code strategy.scan.policyId}, ...) are placed at the form's fields, all at once.
 */
public final class RolloutForm extends FormWithErrors {

    public static final String NAME = "name";
    public static final String PROFILE = "profileId";
    public static final String SELECTOR = "selector";
    public static final String TARGET_PROFILES = "targetProfiles";
    public static final String TARGET_TAGS = "targetTags";
    public static final String TARGET_CLUSTERS = "targetClusters";
    /** The strategy's fields, named as the service names them under {@code strategy.}. */
    public static final List<String> NUMBERS =
            List.of("canaries", "waveSize", "wavePercent", "maxConcurrency", "maxFailures", "maxFailurePercent");

    public static final List<String> DURATIONS = List.of("bakeTime", "offlineTimeout", "healthTimeout");
    public static final String OFFLINE_MODE = "offlineMode";
    /** The scan gate's form fields, by the service's name under {@code strategy.}. */
    public static final Map<String, String> SCAN_FIELDS =
            Map.of("scan.policyId", "scanPolicyId", "scan.failOn", "scanFailOn", "scan.timeout", "scanTimeout");

    private String name = "";
    private String profileId = "";
    private List<String> targetProfiles = new ArrayList<>();
    private String targetTagsText = "";
    private List<String> targetClusters = new ArrayList<>();
    private final Map<String, String> strategy = new LinkedHashMap<>();
    /** The SCAN policies offered for the gate (the tenant's, and the one chosen if it is not among them). */
    private final List<ScanPolicyChoice> scanPolicies = new ArrayList<>();
    /** Whether the tenant's SCAN policies could be read (policy-service answered). */
    private boolean scanPoliciesListed = true;

    private RolloutForm() {}

    public static RolloutForm empty() {
        return new RolloutForm();
    }

    public static RolloutForm read(MultivaluedMap<String, String> posted) {
        RolloutForm form = new RolloutForm();
        form.name = first(posted, NAME).strip();
        form.profileId = first(posted, PROFILE).strip();
        form.targetProfiles = values(posted, TARGET_PROFILES);
        form.targetTagsText = first(posted, TARGET_TAGS);
        form.targetClusters = values(posted, TARGET_CLUSTERS);
        for (String f : NUMBERS) {
            form.strategy.put(f, first(posted, f).strip());
        }
        for (String f : DURATIONS) {
            form.strategy.put(f, first(posted, f).strip());
        }
        form.strategy.put(OFFLINE_MODE, first(posted, OFFLINE_MODE).strip());
        for (String f : SCAN_FIELDS.values()) {
            form.strategy.put(f, first(posted, f).strip());
        }
        return form;
    }

    /** The request, or null when the form itself cannot be read (its errors are then set). */
    public CreateRolloutRequest request() {
        Map<String, String> tags = TagLines.read(targetTagsText, TARGET_TAGS, errors);
        StrategyRequest s = new StrategyRequest();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (String f : NUMBERS) {
            String text = strategy.getOrDefault(f, "");
            if (text.isEmpty()) {
                continue;
            }
            try {
                numbers.put(f, Integer.valueOf(text));
            } catch (NumberFormatException e) {
                addError(f, "a whole number");
            }
        }
        s.canaries(numbers.get("canaries"))
                .waveSize(numbers.get("waveSize"))
                .wavePercent(numbers.get("wavePercent"))
                .maxConcurrency(numbers.get("maxConcurrency"))
                .maxFailures(numbers.get("maxFailures"))
                .maxFailurePercent(numbers.get("maxFailurePercent"))
                .bakeTime(blankToNull(strategy.get("bakeTime")))
                .offlineTimeout(blankToNull(strategy.get("offlineTimeout")))
                .healthTimeout(blankToNull(strategy.get("healthTimeout")));
        String mode = blankToNull(strategy.get(OFFLINE_MODE));
        if (mode != null) {
            try {
                s.offlineMode(StrategyRequest.OfflineModeEnum.fromValue(mode));
            } catch (IllegalArgumentException e) {
                addError(OFFLINE_MODE, "SKIP, WAIT or FAIL");
            }
        }
        s.scan(scanRequest());
        if (hasErrors()) {
            return null;
        }
        return new CreateRolloutRequest()
                .name(name.isEmpty() ? null : name)
                .profileId(profileId.isEmpty() ? null : profileId)
                .selector(new SelectorRequest()
                        .profileIds(targetProfiles.isEmpty() ? null : targetProfiles)
                        .tags(tags.isEmpty() ? null : tags)
                        .clusterIds(targetClusters.isEmpty() ? null : targetClusters))
                .strategy(s);
    }

    /**
     * The scan gate: null when none of its fields is filled in; otherwise as typed, a blank policy left for the
     * service to name (it requires one), blank {@code failOn}/{@code timeout} left to its defaults.
     */
    private RolloutScanRequest scanRequest() {
        ScanGateInput gate = ScanGateInput.read(
                strategy.get("scanPolicyId"),
                strategy.get("scanFailOn"),
                strategy.get("scanTimeout"),
                "scanPolicyId",
                "scanFailOn",
                this::addError);
        if (gate == null) {
            return null;
        }
        return new RolloutScanRequest()
                .policyId(gate.policyId())
                .failOn(gate.failOn() == null ? null : RolloutScanRequest.FailOnEnum.fromValue(gate.failOn()))
                .timeout(gate.timeout());
    }

    /** The gate's policy choices from the tenant's policies ({@code null}: policy-service did not answer). */
    public RolloutForm withScanPolicies(List<PolicyView> policies) {
        scanPolicies.clear();
        scanPoliciesListed = policies != null;
        scanPolicies.addAll(ScanPolicyChoice.offered(policies, strategy("scanPolicyId")));
        return this;
    }

    /** Places the service's field errors at the form's fields; anything else above the form. */
    public RolloutForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at = placeOf(field);
            String text = at.equals(FORM) || (!at.equals(field) && !field.startsWith("strategy."))
                    ? field + ": " + message
                    : message;
            addError(at, text);
        });
        return this;
    }

    /** Where the service's {@code field} is shown. */
    static String placeOf(String field) {
        if (field.equals(NAME) || field.equals(PROFILE) || field.equals(SELECTOR)) {
            return field;
        }
        if (field.startsWith("selector.profileIds")) {
            return TARGET_PROFILES;
        }
        if (field.startsWith("selector.tags")) {
            return TARGET_TAGS;
        }
        if (field.startsWith("selector.clusterIds")) {
            return TARGET_CLUSTERS;
        }
        if (field.startsWith("strategy.")) {
            String f = field.substring("strategy.".length());
            if (NUMBERS.contains(f) || DURATIONS.contains(f) || f.equals(OFFLINE_MODE)) {
                return f;
            }
            if (SCAN_FIELDS.containsKey(f)) {
                return SCAN_FIELDS.get(f);
            }
        }
        return FORM;
    }

    public RolloutForm withError(String field, String message) {
        addError(field, message);
        return this;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String first(MultivaluedMap<String, String> posted, String key) {
        String value = posted.getFirst(key);
        return value == null ? "" : value;
    }

    private static List<String> values(MultivaluedMap<String, String> posted, String key) {
        List<String> all = posted.get(key);
        return all == null
                ? new ArrayList<>()
                : new ArrayList<>(all.stream().filter(v -> !v.isBlank()).toList());
    }

    public String name() {
        return name;
    }

    public String profileId() {
        return profileId;
    }

    public boolean targetsProfile(String id) {
        return targetProfiles.contains(id);
    }

    public boolean targetsCluster(String id) {
        return targetClusters.contains(id);
    }

    public String targetTagsText() {
        return targetTagsText;
    }

    /** What was typed for the strategy's field {@code f}. */
    public String strategy(String f) {
        return strategy.getOrDefault(f, "");
    }

    /** The SCAN policies the gate offers ({@link #withScanPolicies}). */
    public List<ScanPolicyChoice> scanPolicies() {
        return scanPolicies;
    }

    /** Whether policy-service listed the tenant's SCAN policies (else only the chosen one is offered). */
    public boolean scanPoliciesListed() {
        return scanPoliciesListed;
    }
}
