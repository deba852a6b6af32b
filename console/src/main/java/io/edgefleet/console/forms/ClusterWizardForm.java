package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CloudConfigRequest;
import io.edgefleet.sdk.model.CreateClusterRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster wizard's form, following the original product's steps (basic information, profile, parameters, cluster
 * configuration, node pools, policies, review). Every step's fields travel in the one form (the steps not shown are
 * {@code hidden} sections), so going back and forth loses nothing; the request is made only at the end. The service
 * checks the values: its problem+json field names ({@code pools[0].cpu}, {@code cloudConfig.sshKeys[1]}, ...) are
 * placed at the form's fields ({@link #formField}) and then every step is shown, so all errors are seen at once.
 */
public final class ClusterWizardForm extends FormWithErrors {

    public static final List<String> STEPS = List.of(
            "Basic information", "Profile", "Parameters", "Cluster configuration", "Node pools", "Policies", "Review");
    public static final int BASICS = 1;
    public static final int PROFILE = 2;
    public static final int PARAMETERS = 3;
    public static final int CLOUD = 4;
    public static final int POOLS = 5;
    public static final int POLICIES = 6;
    public static final int REVIEW = 7;

    static final int MAX_POOLS = 20;
    static final String PACK_VALUES = "packValues.";
    private static final Pattern PLACEMENT_FIELD = Pattern.compile(
            "pools\\[(\\d+)]\\.appliances\\[\\d+]\\.(networkType|networkName|imagePool|targetPool|dataPool)");
    private static final Pattern POOL_APPLIANCES = Pattern.compile("pools\\[(\\d+)]\\.appliances(\\[.*)?");
    private static final Pattern POOL_FIELD = Pattern.compile("pools\\[(\\d+)](\\.(\\w+))?.*");
    private static final Pattern INDEXED =
            Pattern.compile("(cloudConfig\\.sshKeys|cloudConfig\\.ntpServers|addonProfileIds|policyIds)\\[\\d+].*");

    private int step = BASICS;
    private boolean allSteps;
    private String name = "";
    private String description = "";
    private String tagsText = "";
    private String profileId = "";
    private List<String> addonProfileIds = new ArrayList<>();
    private final Map<String, String> packValues = new LinkedHashMap<>();
    private String virtualIp = "";
    private String sshKeysText = "";
    private String ntpText = "";
    private final List<PoolForm> pools = new ArrayList<>();
    private List<String> policyIds = new ArrayList<>();

    /** A new cluster: a master pool and a worker pool, as the original product starts. */
    public static ClusterWizardForm empty() {
        ClusterWizardForm form = new ClusterWizardForm();
        form.pools.add(PoolForm.master(form));
        form.pools.add(PoolForm.worker(form, 1));
        return form;
    }

    /** The form as posted (each field by its name; several values for check boxes). */
    public static ClusterWizardForm read(Map<String, List<String>> posted) {
        ClusterWizardForm form = new ClusterWizardForm();
        form.step = clampStep(intOr(first(posted, "step"), BASICS));
        form.name = first(posted, "name").strip();
        form.description = first(posted, "description").strip();
        form.tagsText = first(posted, "tags");
        form.profileId = first(posted, "profileId").strip();
        form.addonProfileIds = values(posted, "addonProfileIds");
        posted.forEach((key, value) -> {
            if (key.startsWith(PACK_VALUES) && !value.isEmpty() && !value.get(0).isBlank()) {
                form.packValues.put(key.substring(PACK_VALUES.length()), value.get(0));
            }
        });
        form.virtualIp = first(posted, "cloudConfig.virtualIp").strip();
        form.sshKeysText = first(posted, "cloudConfig.sshKeys");
        form.ntpText = first(posted, "cloudConfig.ntpServers");
        int count = Math.max(1, Math.min(MAX_POOLS, intOr(first(posted, "poolCount"), 2)));
        for (int i = 0; i < count; i++) {
            form.pools.add(PoolForm.read(form, i, posted));
        }
        form.policyIds = values(posted, "policyIds");
        return form;
    }

    /** Moves to step {@code to} (Next, Back); {@code addPool} adds a worker pool on the node pools step. */
    public ClusterWizardForm go(String to) {
        if ("addPool".equals(to)) {
            if (pools.size() < MAX_POOLS) {
                pools.add(PoolForm.worker(this, pools.size()));
            }
            step = POOLS;
        } else if (to != null && to.startsWith("removePool")) {
            int index = intOr(to.substring("removePool".length()), -1);
            if (index > 0 && index < pools.size()) {
                pools.remove(index);
                for (int i = 0; i < pools.size(); i++) {
                    pools.set(i, pools.get(i).at(i));
                }
            }
            step = POOLS;
        } else {
            step = clampStep(intOr(to, step));
        }
        return this;
    }

    /** The request, or null when the form itself cannot be read (its errors are then at their fields). */
    public CreateClusterRequest request() {
        Map<String, String> tags = TagLines.read(tagsText, "tags", errors);
        CloudConfigRequest cloud = new CloudConfigRequest()
                .virtualIp(virtualIp.isEmpty() ? null : virtualIp)
                .sshKeys(lines(sshKeysText))
                .ntpServers(lines(ntpText));
        var poolRequests = pools.stream().map(PoolForm::request).toList();
        if (!errors.isEmpty()) {
            allSteps = true;
            return null;
        }
        return new CreateClusterRequest()
                .name(name)
                .description(description.isEmpty() ? null : description)
                .tags(tags)
                .profileId(profileId.isEmpty() ? null : profileId)
                .addonProfileIds(addonProfileIds)
                .packValues(new LinkedHashMap<>(packValues))
                .cloudConfig(cloud)
                .pools(new ArrayList<>(poolRequests))
                .policyIds(policyIds);
    }

    /** Places the service's field errors at the form's fields, and shows every step (all errors at once). */
    public ClusterWizardForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at = formField(field);
            String text = at.equals(FORM) ? field + ": " + message : message;
            if (at.startsWith(PACK_VALUES) && !packValues.containsKey(at.substring(PACK_VALUES.length()))) {
                text = at.substring(PACK_VALUES.length()) + ": " + message;
                at = "packValues"; // no override box for that pack: the step's own error
            }
            withError(at, text);
        });
        allSteps = true;
        return this;
    }

    public ClusterWizardForm withError(String field, String message) {
        addError(field, message);
        allSteps = true;
        return this;
    }

    /**
     * The form field at which the service's field {@code field} is shown: list items at their list's box, an
     * appliance's placement at its pool's fields, unknown names above the form.
     */
    public static String formField(String field) {
        Matcher m = PLACEMENT_FIELD.matcher(field);
        if (m.matches()) {
            return "pools[" + m.group(1) + "]." + m.group(2);
        }
        m = POOL_APPLIANCES.matcher(field);
        if (m.matches()) {
            return "pools[" + m.group(1) + "].appliances";
        }
        m = POOL_FIELD.matcher(field);
        if (m.matches()) {
            String sub = m.group(3);
            return sub != null && PoolForm.FIELDS.contains(sub)
                    ? "pools[" + m.group(1) + "]." + sub
                    : "pools[" + m.group(1) + "]";
        }
        m = INDEXED.matcher(field);
        if (m.matches()) {
            return m.group(1);
        }
        if (field.equals("tags") || field.startsWith("tags.")) {
            return "tags";
        }
        if (field.startsWith(PACK_VALUES) || field.equals("packValues")) {
            return field;
        }
        return switch (field) {
            case "name",
                    "description",
                    "profileId",
                    "addonProfileIds",
                    "policyIds",
                    "pools",
                    "cloudConfig.virtualIp",
                    "cloudConfig.sshKeys",
                    "cloudConfig.ntpServers" -> field;
            case "cloudConfig" -> "cloudConfig.virtualIp";
            default -> FORM;
        };
    }

    /** The step whose section holds {@code formField}. */
    public static int stepOf(String formField) {
        if (formField.equals("name") || formField.equals("description") || formField.equals("tags")) {
            return BASICS;
        }
        if (formField.equals("profileId") || formField.equals("addonProfileIds")) {
            return PROFILE;
        }
        if (formField.startsWith("packValues")) {
            return PARAMETERS;
        }
        if (formField.startsWith("cloudConfig")) {
            return CLOUD;
        }
        if (formField.startsWith("pools")) {
            return POOLS;
        }
        if (formField.equals("policyIds")) {
            return POLICIES;
        }
        return REVIEW;
    }

    /** An element id for a field name ({@code pools[0].cpu} → {@code f-pools-0-cpu}). */
    public static String id(String field) {
        return "f-" + field.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "");
    }

    /** The element id of the service field's place ({@link #id} of a form field). */
    public String fieldId(String field) {
        return id(field);
    }

    public String packError(String pack) {
        return errors.get(PACK_VALUES + pack);
    }

    public String packId(String pack) {
        return id(PACK_VALUES + pack);
    }

    public int next() {
        return Math.min(REVIEW, step + 1);
    }

    public int previous() {
        return Math.max(BASICS, step - 1);
    }

    /** Whether step {@code k}'s section is shown: the current step, or every step once there are errors. */
    public boolean shows(int k) {
        return allSteps || k == step;
    }

    public boolean allSteps() {
        return allSteps;
    }

    public int step() {
        return step;
    }

    public String stepTitle(int k) {
        return STEPS.get(k - 1);
    }

    public List<Integer> stepNumbers() {
        List<Integer> numbers = new ArrayList<>();
        for (int k = 1; k <= STEPS.size(); k++) {
            numbers.add(k);
        }
        return numbers;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public String tagsText() {
        return tagsText;
    }

    public String profileId() {
        return profileId;
    }

    public boolean addon(String id) {
        return addonProfileIds.contains(id);
    }

    public String packValue(String pack) {
        return packValues.getOrDefault(pack, "");
    }

    public Map<String, String> packValues() {
        return packValues;
    }

    public String virtualIp() {
        return virtualIp;
    }

    public String sshKeysText() {
        return sshKeysText;
    }

    public String ntpText() {
        return ntpText;
    }

    public List<PoolForm> pools() {
        return pools;
    }

    public boolean policy(String id) {
        return policyIds.contains(id);
    }

    public List<String> policyIds() {
        return policyIds;
    }

    /** The errors of step {@code k}'s fields. */
    public boolean stepHasErrors(int k) {
        return errors.keySet().stream().anyMatch(f -> stepOf(f) == k);
    }

    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    static String first(Map<String, List<String>> posted, String key) {
        List<String> v = posted.get(key);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0);
    }

    static List<String> values(Map<String, List<String>> posted, String key) {
        List<String> v = posted.get(key);
        return v == null
                ? new ArrayList<>()
                : new ArrayList<>(
                        v.stream().filter(s -> s != null && !s.isBlank()).toList());
    }

    static int intOr(String text, int otherwise) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return otherwise;
        }
    }

    private static int clampStep(int k) {
        return Math.max(BASICS, Math.min(REVIEW, k));
    }
}
