package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CloudType;
import io.edgefleet.sdk.model.LayerRequest;
import io.edgefleet.sdk.model.NewVersionRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.ProfileLayerView;
import io.edgefleet.sdk.model.ProfileRequest;
import io.edgefleet.sdk.model.ProfileRollout;
import io.edgefleet.sdk.model.ProfileRolloutRequest;
import io.edgefleet.sdk.model.ProfileRolloutScanRequest;
import io.edgefleet.sdk.model.ProfileType;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.RolloutMode;
import io.edgefleet.sdk.model.ScanGate;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The profile form — a new profile, or a new version of one: name, version, description, type, cloud type, tags as
 * {@code key=value} lines and the layers, bottom of the stack first, one row each (registry, pack or chart name,
 * version or train, YAML values) — and how the version's running clusters take a change ({@code rollout}:
 * IMMEDIATE, or ROLLOUT with its default strategy; only ROLLOUT's figures are sent, blank ones left to the service's
 * defaults; its scan gate — a SCAN policy of the tenant, what fails the cluster, how long to wait — only when one of
 * its fields is filled in). Blank rows are left out of the request, so the service's {@code layers[i]} is mapped back to the row it
 * came from. The service checks the values; its problem+json field errors are placed at the form's fields, all at
 * once.
 */
public final class ProfileForm extends FormWithErrors {

    public static final int MIN_ROWS = 5;
    public static final int MAX_ROWS = 32;

    public static final String NAME = "name";
    public static final String VERSION = "version";
    public static final String DESCRIPTION = "description";
    public static final String TYPE = "type";
    public static final String CLOUD_TYPE = "cloudType";
    public static final String TAGS = "tags";
    public static final String LAYERS = "layers";
    /** The rollout strategy as a whole (an error naming no figure), and its mode. */
    public static final String ROLLOUT = "rollout";

    public static final String ROLLOUT_MODE = "rollout.mode";
    /** The strategy's whole-number figures, named as profile-service names them under {@code rollout.}. */
    public static final List<String> ROLLOUT_NUMBERS =
            List.of("canaries", "waveSize", "wavePercent", "maxConcurrency", "maxFailures", "maxFailurePercent");
    /** Its durations (ISO-8601, e.g. {@code PT10M}) and the offline mode (SKIP, WAIT, FAIL). */
    public static final List<String> ROLLOUT_TEXTS =
            List.of("bakeTime", "offlineMode", "offlineTimeout", "healthTimeout");
    /** The scan gate's fields, named as profile-service names them under {@code rollout.}. */
    public static final List<String> ROLLOUT_SCAN = List.of("scan.policyId", "scan.failOn", "scan.timeout");

    /** One figure of the strategy on the page: its name under {@code rollout.}, label and hint (the defaults). */
    public record RolloutFigure(String name, String label, String hint, boolean numeric) {}

    /** The strategy's text fields in the page's order (the offline mode is a select of its own). */
    public static final List<RolloutFigure> ROLLOUT_FIGURES = List.of(
            new RolloutFigure("canaries", "Canaries", "changed first, alone (default 1)", true),
            new RolloutFigure("waveSize", "Wave size", "clusters per wave (or per cent)", true),
            new RolloutFigure("wavePercent", "Wave per cent", "of the targets, rounded up (default 10%)", true),
            new RolloutFigure("maxConcurrency", "Max concurrency", "rolling at once (default 10)", true),
            new RolloutFigure("maxFailures", "Failures tolerated", "before it pauses (default 0)", true),
            new RolloutFigure("maxFailurePercent", "Failures tolerated, %", "or per cent of the targets", true),
            new RolloutFigure("bakeTime", "Bake time", "ISO-8601, e.g. PT10M (default PT0S)", false),
            new RolloutFigure("offlineTimeout", "Offline timeout", "how long WAIT waits (default PT1H)", false),
            new RolloutFigure("healthTimeout", "Health timeout", "to be RUNNING and healthy (default PT30M)", false));

    private static final Pattern LAYER_FIELD = Pattern.compile("layers\\[(\\d+)](?:\\.(\\w+))?.*");

    /** One layer row as typed. */
    public record Row(int index, String registry, String name, String version, String values) {

        boolean blank() {
            return name.isEmpty() && version.isEmpty() && values.isBlank();
        }
    }

    private String name = "";
    private String version = "";
    private String description = "";
    private String type = "FULL";
    private String cloudType = "containerized";
    private String tagsText = "";
    private String rolloutMode = RolloutMode.IMMEDIATE.getValue();
    /** The strategy's figures as typed, by name ({@link #ROLLOUT_NUMBERS}, {@link #ROLLOUT_TEXTS}). */
    private final Map<String, String> rollout = new LinkedHashMap<>();

    /** The SCAN policies offered for the gate (the tenant's, and the one chosen if it is not among them). */
    private final List<ScanPolicyChoice> scanPolicies = new ArrayList<>();
    /** Whether the tenant's SCAN policies could be read (policy-service answered). */
    private boolean scanPoliciesListed = true;

    private final List<Row> rows = new ArrayList<>();
    /** The row of each layer sent, by its index in the request. */
    private final List<Integer> sentRows = new ArrayList<>();

    private ProfileForm() {}

    /** An empty form for a new profile. */
    public static ProfileForm empty() {
        ProfileForm form = new ProfileForm();
        form.version = "1.0.0";
        form.padRows();
        return form;
    }

    /** The form of a new version of {@code source}: its description, tags and layers to change. */
    public static ProfileForm newVersionOf(ProfileView source) {
        ProfileForm form = new ProfileForm();
        form.name = source.getName();
        form.version = nextPatch(source.getVersion());
        form.description = source.getDescription() == null ? "" : source.getDescription();
        form.type = source.getType() == null ? "" : source.getType().getValue();
        form.cloudType =
                source.getCloudType() == null ? "" : source.getCloudType().getValue();
        form.tagsText = source.getTags() == null
                ? ""
                : source.getTags().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse("");
        ProfileRollout strategy = source.getRollout();
        if (strategy != null && strategy.getMode() != null) {
            form.rolloutMode = strategy.getMode().getValue();
            if (strategy.getMode() == RolloutMode.ROLLOUT) {
                form.rollout.put("canaries", text(strategy.getCanaries()));
                form.rollout.put("waveSize", text(strategy.getWaveSize()));
                form.rollout.put("wavePercent", text(strategy.getWavePercent()));
                form.rollout.put("maxConcurrency", text(strategy.getMaxConcurrency()));
                form.rollout.put("maxFailures", text(strategy.getMaxFailures()));
                form.rollout.put("maxFailurePercent", text(strategy.getMaxFailurePercent()));
                form.rollout.put("bakeTime", text(strategy.getBakeTime()));
                form.rollout.put("offlineMode", text(strategy.getOfflineMode()));
                form.rollout.put("offlineTimeout", text(strategy.getOfflineTimeout()));
                form.rollout.put("healthTimeout", text(strategy.getHealthTimeout()));
                ScanGate scan = strategy.getScan();
                if (scan != null) {
                    form.rollout.put("scan.policyId", text(scan.getPolicyId()));
                    form.rollout.put("scan.failOn", text(scan.getFailOn()));
                    form.rollout.put("scan.timeout", text(scan.getTimeout()));
                }
            }
        }
        List<ProfileLayerView> layers = source.getLayers() == null ? List.of() : source.getLayers();
        for (ProfileLayerView l : layers) {
            form.rows.add(new Row(
                    form.rows.size(),
                    l.getRegistry() == null ? "" : l.getRegistry(),
                    l.getName() == null ? "" : l.getName(),
                    l.getVersion() == null ? "" : l.getVersion(),
                    l.getValues() == null ? "" : l.getValues()));
        }
        form.padRows();
        return form;
    }

    /** What was posted ({@code layers[i].name}, ...; {@code rows} says how many rows the page had). */
    public static ProfileForm read(MultivaluedMap<String, String> posted) {
        ProfileForm form = new ProfileForm();
        form.name = first(posted, NAME).strip();
        form.version = first(posted, VERSION).strip();
        form.description = first(posted, DESCRIPTION).strip();
        form.type = first(posted, TYPE).strip();
        form.cloudType = first(posted, CLOUD_TYPE).strip();
        form.tagsText = first(posted, TAGS);
        form.rolloutMode = first(posted, ROLLOUT_MODE).strip();
        for (String f : ROLLOUT_NUMBERS) {
            form.rollout.put(f, first(posted, ROLLOUT + "." + f).strip());
        }
        for (String f : ROLLOUT_TEXTS) {
            form.rollout.put(f, first(posted, ROLLOUT + "." + f).strip());
        }
        for (String f : ROLLOUT_SCAN) {
            form.rollout.put(f, first(posted, ROLLOUT + "." + f).strip());
        }
        int count = MIN_ROWS;
        try {
            count = Integer.parseInt(first(posted, "rows").strip());
        } catch (NumberFormatException e) {
            // a hand-made post: the usual number of rows
        }
        count = Math.max(MIN_ROWS, Math.min(MAX_ROWS, count));
        if ("add-layer".equals(first(posted, "go")) && count < MAX_ROWS) {
            count++;
        }
        for (int i = 0; i < count; i++) {
            String at = "layers[" + i + "].";
            form.rows.add(new Row(
                    i,
                    first(posted, at + "registry").strip(),
                    first(posted, at + "name").strip(),
                    first(posted, at + "version").strip(),
                    first(posted, at + "values")));
        }
        return form;
    }

    /** The new profile's request, or null when the form itself cannot be read (its errors are then set). */
    public ProfileRequest profileRequest() {
        Map<String, String> tags = tags();
        List<LayerRequest> layers = layers();
        ProfileRolloutRequest strategy = rolloutRequest();
        ProfileType profileType = null;
        if (!type.isEmpty()) {
            try {
                profileType = ProfileType.fromValue(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                addError(TYPE, "one of FULL, INFRA, ADDON");
            }
        }
        CloudType cloud = null;
        if (!cloudType.isEmpty()) {
            try {
                cloud = CloudType.fromValue(cloudType.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                addError(CLOUD_TYPE, "containerized or virtualized");
            }
        }
        if (hasErrors()) {
            return null;
        }
        return new ProfileRequest()
                .name(name.isEmpty() ? null : name)
                .version(version.isEmpty() ? null : version)
                .description(description.isEmpty() ? null : description)
                .type(profileType)
                .cloudType(profileType == ProfileType.ADDON ? null : cloud)
                .tags(tags)
                .layers(layers)
                .rollout(strategy);
    }

    /** The new version's request (description, tags and layers as on the form), or null on the form's own errors. */
    public NewVersionRequest versionRequest() {
        Map<String, String> tags = tags();
        List<LayerRequest> layers = layers();
        ProfileRolloutRequest strategy = rolloutRequest();
        if (hasErrors()) {
            return null;
        }
        return new NewVersionRequest()
                .version(version.isEmpty() ? null : version)
                .description(description.isEmpty() ? null : description)
                .tags(tags)
                .layers(layers)
                .rollout(strategy);
    }

    /**
     * The rollout strategy: null when no mode was posted (the service's default: IMMEDIATE, or a new version's
     * source's), IMMEDIATE alone, or ROLLOUT with the figures typed (blank: the service's default). A figure that is
     * not a whole number, or an unknown mode, is the form's own error at its field.
     */
    private ProfileRolloutRequest rolloutRequest() {
        if (rolloutMode.isEmpty()) {
            return null;
        }
        RolloutMode mode;
        try {
            mode = RolloutMode.fromValue(rolloutMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            addError(ROLLOUT_MODE, "IMMEDIATE or ROLLOUT");
            return null;
        }
        ProfileRolloutRequest request = new ProfileRolloutRequest().mode(mode);
        if (mode == RolloutMode.IMMEDIATE) {
            return request; // the figures belong to ROLLOUT only: what was typed there is not sent
        }
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (String f : ROLLOUT_NUMBERS) {
            String typed = rollout.getOrDefault(f, "");
            if (typed.isEmpty()) {
                continue;
            }
            try {
                numbers.put(f, Integer.valueOf(typed));
            } catch (NumberFormatException e) {
                addError(ROLLOUT + "." + f, "not a whole number: " + typed);
            }
        }
        request.canaries(numbers.get("canaries"))
                .waveSize(numbers.get("waveSize"))
                .wavePercent(numbers.get("wavePercent"))
                .maxConcurrency(numbers.get("maxConcurrency"))
                .maxFailures(numbers.get("maxFailures"))
                .maxFailurePercent(numbers.get("maxFailurePercent"))
                .bakeTime(blankToNull(rollout.get("bakeTime")))
                .offlineTimeout(blankToNull(rollout.get("offlineTimeout")))
                .healthTimeout(blankToNull(rollout.get("healthTimeout")));
        String offline = blankToNull(rollout.get("offlineMode"));
        if (offline != null) {
            try {
                request.offlineMode(ProfileRolloutRequest.OfflineModeEnum.fromValue(offline.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                addError(ROLLOUT + ".offlineMode", "one of SKIP, WAIT, FAIL");
            }
        }
        request.scan(scanRequest());
        return request;
    }

    /**
     * The scan gate: null when none of its fields is filled in; otherwise as typed, a blank policy left for the
     * service to name (it requires one), blank {@code failOn}/{@code timeout} left to its defaults.
     */
    private ProfileRolloutScanRequest scanRequest() {
        ScanGateInput gate = ScanGateInput.read(
                rollout.get("scan.policyId"),
                rollout.get("scan.failOn"),
                rollout.get("scan.timeout"),
                ROLLOUT + ".scan.policyId",
                ROLLOUT + ".scan.failOn",
                this::addError);
        if (gate == null) {
            return null;
        }
        return new ProfileRolloutScanRequest()
                .policyId(gate.policyId())
                .failOn(gate.failOn() == null ? null : ProfileRolloutScanRequest.FailOnEnum.fromValue(gate.failOn()))
                .timeout(gate.timeout());
    }

    /**
     * The gate's policy choices: the tenant's SCAN policies by name ({@code policies} may hold other kinds), and the
     * one chosen when it is not among them (deleted since, or policy-service did not answer: {@code policies} null).
     */
    public ProfileForm withScanPolicies(List<PolicyView> policies) {
        scanPolicies.clear();
        scanPoliciesListed = policies != null;
        scanPolicies.addAll(ScanPolicyChoice.offered(policies, rollout("scan.policyId")));
        return this;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private Map<String, String> tags() {
        return TagLines.read(tagsText, TAGS, errors);
    }

    private List<LayerRequest> layers() {
        sentRows.clear();
        List<LayerRequest> layers = new ArrayList<>();
        for (Row row : rows) {
            if (row.blank()) {
                continue;
            }
            sentRows.add(row.index());
            layers.add(new LayerRequest()
                    .registry(row.registry().isEmpty() ? null : row.registry())
                    .name(row.name())
                    .version(row.version().isEmpty() ? null : row.version())
                    .values(row.values().isBlank() ? null : row.values()));
        }
        return layers;
    }

    /**
     * Places the service's field errors at the form's fields: {@code name}, {@code version}, {@code description},
     * {@code type}, {@code cloudType}, {@code tags}/{@code tags.<key>}, {@code layers} and {@code layers[i].<field>}
     * (at the row the i-th layer sent came from: {@code name}, {@code version}, {@code registry}, {@code values}; any
     * other of the layer's fields, its presets or manifests, at the row); anything else above the form.
     */
    public ProfileForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at = placeOf(field);
            String text = message;
            if (at.equals(TAGS) && field.startsWith("tags.")) {
                text = field.substring("tags.".length()) + ": " + message;
            } else if (at.equals(FORM) || (at.equals(ROLLOUT) && !field.equals(ROLLOUT))) {
                text = field + ": " + message;
            } else if (at.startsWith("layers[") && !at.contains(".")) {
                // the row's own error: say which of the layer's fields the service named
                Matcher m = LAYER_FIELD.matcher(field);
                if (m.matches() && m.group(2) != null) {
                    text = field.substring(field.indexOf('.') + 1) + ": " + message;
                }
            }
            addError(at, text);
        });
        return this;
    }

    /** Where the service's {@code field} is shown: a field of the form, a layer row's field, or {@link #FORM}. */
    String placeOf(String field) {
        switch (field) {
            case NAME, VERSION, DESCRIPTION, TYPE, CLOUD_TYPE, TAGS, LAYERS, ROLLOUT, ROLLOUT_MODE:
                return field;
            default:
                break;
        }
        if (field.startsWith(ROLLOUT + ".")) {
            String f = field.substring(ROLLOUT.length() + 1);
            return ROLLOUT_NUMBERS.contains(f) || ROLLOUT_TEXTS.contains(f) || ROLLOUT_SCAN.contains(f)
                    ? field
                    : ROLLOUT;
        }
        if (field.startsWith("tags.")) {
            return TAGS;
        }
        Matcher m = LAYER_FIELD.matcher(field);
        if (m.matches()) {
            int sent = Integer.parseInt(m.group(1));
            if (sent >= sentRows.size()) {
                return LAYERS;
            }
            String row = "layers[" + sentRows.get(sent) + "]";
            String sub = m.group(2);
            if (sub != null
                    && field.equals("layers[" + sent + "]." + sub)
                    && List.of("name", "version", "registry", "values").contains(sub)) {
                return row + "." + sub;
            }
            return row;
        }
        return FORM;
    }

    public ProfileForm withError(String field, String message) {
        addError(field, message);
        return this;
    }

    private void padRows() {
        while (rows.size() < MIN_ROWS) {
            rows.add(new Row(rows.size(), "", "", "", ""));
        }
    }

    /** {@code 1.2.3} → {@code 1.2.4}; anything else as it is. */
    static String nextPatch(String version) {
        if (version == null) {
            return "";
        }
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        if (!m.matches()) {
            return version;
        }
        return m.group(1) + "." + m.group(2) + "." + (Long.parseLong(m.group(3)) + 1);
    }

    private static String first(MultivaluedMap<String, String> posted, String key) {
        String value = posted.getFirst(key);
        return value == null ? "" : value;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String description() {
        return description;
    }

    public String type() {
        return type;
    }

    public String cloudType() {
        return cloudType;
    }

    public String tagsText() {
        return tagsText;
    }

    /** The rollout mode as chosen (IMMEDIATE, ROLLOUT; blank on a hand-made post without one). */
    public String rolloutMode() {
        return rolloutMode;
    }

    /** What was typed for the strategy's figure {@code f} ({@code canaries}, {@code bakeTime}, ...). */
    public String rollout(String f) {
        return rollout.getOrDefault(f, "");
    }

    public List<RolloutFigure> rolloutFigures() {
        return ROLLOUT_FIGURES;
    }

    /** The SCAN policies the gate offers ({@link #withScanPolicies}). */
    public List<ScanPolicyChoice> scanPolicies() {
        return scanPolicies;
    }

    /** Whether policy-service listed the tenant's SCAN policies (else only the chosen one is offered). */
    public boolean scanPoliciesListed() {
        return scanPoliciesListed;
    }

    /** The error at the strategy's figure {@code f}, or null. */
    public String rolloutError(String f) {
        return errors.get(ROLLOUT + "." + f);
    }

    public List<Row> rows() {
        return rows;
    }

    /** One error of the summary above the form: the id of the field it links to, the service's field, the text. */
    public record Listed(String anchor, String field, String message) {}

    /** Every error, each with the id of the element it belongs to ({@code layers[2].name} → {@code layer-2-name}). */
    public List<Listed> listed() {
        List<Listed> out = new ArrayList<>();
        errors.forEach((field, message) -> {
            String anchor = field;
            Matcher m = LAYER_FIELD.matcher(field);
            if (m.matches()) {
                anchor = "layer-" + m.group(1) + (m.group(2) != null ? "-" + m.group(2) : "");
            } else if (field.equals(FORM)) {
                anchor = "profile-form";
            } else if (field.startsWith(ROLLOUT)) {
                anchor = field.replace('.', '-'); // rollout-canaries, rollout-mode, rollout-scan-policyId, rollout
            }
            out.add(new Listed(anchor, field, message));
        });
        return out;
    }

    /** The error at layer row {@code row}'s {@code field} ({@code name}, {@code version}, ...), or null. */
    public String rowError(int row, String field) {
        return errors.get("layers[" + row + "]." + field);
    }

    /** The error of layer row {@code row} as a whole (its presets, manifests, its place in the stack), or null. */
    public String rowError(int row) {
        return errors.get("layers[" + row + "]");
    }

    /** Whether any error is at layer row {@code row} or one of its fields. */
    public boolean rowHasError(int row) {
        String prefix = "layers[" + row + "]";
        return errors.keySet().stream().anyMatch(k -> k.equals(prefix) || k.startsWith(prefix + "."));
    }
}
