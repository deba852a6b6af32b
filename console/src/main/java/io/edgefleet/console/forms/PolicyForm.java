package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.BackupRequest;
import io.edgefleet.sdk.model.BackupView;
import io.edgefleet.sdk.model.PatchMode;
import io.edgefleet.sdk.model.PatchRequest;
import io.edgefleet.sdk.model.PatchSettings;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RetentionRequest;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.ScanRequest;
import io.edgefleet.sdk.model.ScanSettings;
import io.edgefleet.sdk.model.ScheduleRequest;
import io.edgefleet.sdk.model.StoreRequest;
import io.edgefleet.sdk.model.StoreView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Create / edit a policy" (policy-service's {@code PolicyRequest}): name, kind, an optional cron schedule and its
 * time zone, the clusters it applies to, and the settings of its kind (scan, backup or OS patch; the other kinds'
 * settings are not sent). The service checks everything; the form reads only what it must turn into numbers or
 * enums, and places the service's field names ({@code schedule.cron}, {@code backup.store.bucket},
 * {@code clusterIds[2]}, ...) at its fields ({@link #formField}).
 */
public final class PolicyForm extends FormWithErrors {

    public static final String NAME = "name";
    public static final String KIND = "kind";
    public static final String CRON = "cron";
    public static final String TIME_ZONE = "timeZone";
    public static final String CLUSTERS = "clusterIds";
    public static final String SCAN_KINDS = "scanKinds";
    public static final String FORBIDDEN_PORTS = "forbiddenPorts";
    public static final String ENDPOINT = "endpoint";
    public static final String REGION = "region";
    public static final String BUCKET = "bucket";
    public static final String PREFIX = "prefix";
    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String SECRET_ACCESS_KEY = "secretAccessKey";
    public static final String PATHS = "paths";
    public static final String INCLUDE_CONFIGURATION = "includeConfiguration";
    public static final String RETENTION_COUNT = "retentionCount";
    public static final String RETENTION_MAX_AGE_DAYS = "retentionMaxAgeDays";
    public static final String PATCH_MODE = "patchMode";
    public static final String PATCH_COMMAND = "patchCommand";
    public static final String REBOOT_IF_REQUIRED = "rebootIfRequired";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";

    /** The fields in the order of the page, for the error summary. */
    public static final List<String> FIELDS = List.of(
            NAME,
            KIND,
            CRON,
            TIME_ZONE,
            CLUSTERS,
            SCAN_KINDS,
            FORBIDDEN_PORTS,
            ENDPOINT,
            REGION,
            BUCKET,
            PREFIX,
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            PATHS,
            INCLUDE_CONFIGURATION,
            RETENTION_COUNT,
            RETENTION_MAX_AGE_DAYS,
            PATCH_MODE,
            PATCH_COMMAND,
            REBOOT_IF_REQUIRED,
            TIMEOUT_SECONDS);

    /** What a post of the form carries (each text as typed; check boxes as their values). */
    public record Input(
            String name,
            String kind,
            String cron,
            String timeZone,
            List<String> clusterIds,
            List<String> scanKinds,
            String forbiddenPorts,
            String endpoint,
            String region,
            String bucket,
            String prefix,
            String accessKeyId,
            String secretAccessKey,
            String paths,
            boolean includeConfiguration,
            String retentionCount,
            String retentionMaxAgeDays,
            String patchMode,
            String patchCommand,
            boolean rebootIfRequired,
            String timeoutSeconds) {}

    private final Input in;

    public PolicyForm(Input input) {
        this.in = new Input(
                strip(input.name()),
                strip(input.kind()),
                strip(input.cron()),
                strip(input.timeZone()),
                clean(input.clusterIds()),
                clean(input.scanKinds()),
                strip(input.forbiddenPorts()),
                strip(input.endpoint()),
                strip(input.region()),
                strip(input.bucket()),
                strip(input.prefix()),
                strip(input.accessKeyId()),
                // a secret is taken as typed (spaces are the service's to refuse)
                input.secretAccessKey() == null ? "" : input.secretAccessKey(),
                input.paths() == null ? "" : input.paths(),
                input.includeConfiguration(),
                strip(input.retentionCount()),
                strip(input.retentionMaxAgeDays()),
                strip(input.patchMode()),
                input.patchCommand() == null ? "" : input.patchCommand().strip(),
                input.rebootIfRequired(),
                strip(input.timeoutSeconds()));
    }

    /** A new policy's form: a nightly scan of every kind, the service's defaults for the other kinds. */
    public static PolicyForm empty() {
        return new PolicyForm(new Input(
                "",
                PolicyKind.SCAN.getValue(),
                "",
                "UTC",
                List.of(),
                Arrays.stream(ScanKind.values()).map(ScanKind::getValue).toList(),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "/var/lib/edgefleet",
                true,
                "7",
                "0",
                PatchMode.RELINK.getValue(),
                "",
                true,
                "1800"));
    }

    /** The form of an existing policy, to edit it (a backup's secret key is never returned: left blank, it is kept). */
    public static PolicyForm of(PolicyView p) {
        ScanSettings scan = p.getScan();
        BackupView backup = p.getBackup();
        StoreView store = backup == null ? null : backup.getStore();
        PatchSettings patch = p.getPatch();
        PolicyForm defaults = empty();
        return new PolicyForm(new Input(
                p.getName(),
                p.getKind() == null ? "" : p.getKind().getValue(),
                p.getSchedule() == null ? "" : p.getSchedule().getCron(),
                p.getSchedule() == null ? "UTC" : p.getSchedule().getTimeZone(),
                p.getClusterIds() == null ? List.of() : p.getClusterIds(),
                scan == null || scan.getKinds() == null
                        ? defaults.in.scanKinds()
                        : scan.getKinds().stream().map(ScanKind::getValue).toList(),
                scan == null || scan.getForbiddenPorts() == null ? "" : join(scan.getForbiddenPorts(), ", "),
                store == null ? "" : store.getEndpoint(),
                store == null ? "" : store.getRegion(),
                store == null ? "" : store.getBucket(),
                store == null ? "" : store.getPrefix(),
                store == null ? "" : store.getAccessKeyId(),
                "",
                backup == null || backup.getPaths() == null ? defaults.in.paths() : join(backup.getPaths(), "\n"),
                backup == null || !Boolean.FALSE.equals(backup.getIncludeConfiguration()),
                backup == null
                                || backup.getRetention() == null
                                || backup.getRetention().getCount() == null
                        ? defaults.in.retentionCount()
                        : String.valueOf(backup.getRetention().getCount()),
                backup == null
                                || backup.getRetention() == null
                                || backup.getRetention().getMaxAgeDays() == null
                        ? defaults.in.retentionMaxAgeDays()
                        : String.valueOf(backup.getRetention().getMaxAgeDays()),
                patch == null || patch.getMode() == null
                        ? defaults.in.patchMode()
                        : patch.getMode().getValue(),
                patch == null || patch.getCommand() == null ? "" : patch.getCommand(),
                patch == null || !Boolean.FALSE.equals(patch.getRebootIfRequired()),
                patch == null || patch.getTimeoutSeconds() == null
                        ? defaults.in.timeoutSeconds()
                        : String.valueOf(patch.getTimeoutSeconds())));
    }

    /**
     * The request, or null when a field cannot be read (a number that is not one, a kind that does not exist: the
     * error is then at its field). Everything else is the service's to check, all at once.
     */
    public PolicyRequest request() {
        PolicyKind kind = null;
        if (in.kind().isEmpty()) {
            addError(KIND, "choose SCAN, BACKUP or OS_PATCH");
        } else {
            kind = enumValue(KIND, in.kind(), PolicyKind::fromValue);
        }
        PolicyRequest request =
                new PolicyRequest().name(in.name()).kind(kind).clusterIds(new ArrayList<>(in.clusterIds()));
        if (!in.cron().isEmpty()) {
            request.schedule(
                    new ScheduleRequest().cron(in.cron()).timeZone(in.timeZone().isEmpty() ? null : in.timeZone()));
        }
        if (kind == PolicyKind.SCAN) {
            List<ScanKind> kinds = new ArrayList<>();
            for (String k : in.scanKinds()) {
                ScanKind scanKind = enumValue(SCAN_KINDS, k, ScanKind::fromValue);
                if (scanKind != null) {
                    kinds.add(scanKind);
                }
            }
            List<Integer> ports = new ArrayList<>();
            for (String port : in.forbiddenPorts().split("[,\\s]+")) {
                if (!port.isEmpty()) {
                    Integer p = number(FORBIDDEN_PORTS, port);
                    if (p != null) {
                        ports.add(p);
                    }
                }
            }
            request.scan(new ScanRequest().kinds(kinds).forbiddenPorts(ports.isEmpty() ? null : ports));
        } else if (kind == PolicyKind.BACKUP) {
            List<String> paths = in.paths()
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            request.backup(new BackupRequest()
                    .store(new StoreRequest()
                            .endpoint(in.endpoint())
                            .region(blankToNull(in.region()))
                            .bucket(in.bucket())
                            .prefix(blankToNull(in.prefix()))
                            .accessKeyId(in.accessKeyId())
                            .secretAccessKey(in.secretAccessKey().isEmpty() ? null : in.secretAccessKey()))
                    .paths(paths.isEmpty() ? null : new ArrayList<>(paths))
                    .includeConfiguration(in.includeConfiguration())
                    .retention(new RetentionRequest()
                            .count(number(RETENTION_COUNT, in.retentionCount()))
                            .maxAgeDays(number(RETENTION_MAX_AGE_DAYS, in.retentionMaxAgeDays()))));
        } else if (kind == PolicyKind.OS_PATCH) {
            PatchMode mode = in.patchMode().isEmpty()
                    ? PatchMode.RELINK
                    : enumValue(PATCH_MODE, in.patchMode(), PatchMode::fromValue);
            PatchRequest patch = new PatchRequest().mode(mode);
            // the command's settings are for NODE_COMMAND only (the service refuses them with RELINK)
            if (mode == PatchMode.NODE_COMMAND) {
                patch.command(in.patchCommand().isEmpty() ? null : in.patchCommand())
                        .rebootIfRequired(in.rebootIfRequired())
                        .timeoutSeconds(number(TIMEOUT_SECONDS, in.timeoutSeconds()));
            }
            request.patch(patch);
        }
        return errors.isEmpty() ? request : null;
    }

    /** Places the service's field errors (all of them) at the form's fields. */
    public PolicyForm withServiceErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((field, message) -> {
            String at = formField(field);
            String text = at.equals(FORM) ? field + ": " + message : message;
            // a list's element errors name the element: "clusterIds[1]: no cluster 'x' in your tenant"
            if (field.endsWith("]") && !at.equals(FORM)) {
                text = message;
            }
            addError(at, text);
        });
        return this;
    }

    /** Where the service's field {@code field} is shown on the form ({@link #FORM} when at none). */
    public static String formField(String field) {
        String f = field.replaceAll("\\[\\d+]", "");
        return switch (f) {
            case "name" -> NAME;
            case "kind" -> KIND;
            case "schedule", "schedule.cron" -> CRON;
            case "schedule.timeZone" -> TIME_ZONE;
            case "clusterIds" -> CLUSTERS;
            case "scan", "scan.kinds" -> SCAN_KINDS;
            case "scan.forbiddenPorts" -> FORBIDDEN_PORTS;
            case "backup", "backup.store", "backup.store.endpoint" -> ENDPOINT;
            case "backup.store.region" -> REGION;
            case "backup.store.bucket" -> BUCKET;
            case "backup.store.prefix" -> PREFIX;
            case "backup.store.accessKeyId" -> ACCESS_KEY_ID;
            case "backup.store.secretAccessKey" -> SECRET_ACCESS_KEY;
            case "backup.paths" -> PATHS;
            case "backup.includeConfiguration" -> INCLUDE_CONFIGURATION;
            case "backup.retention", "backup.retention.count" -> RETENTION_COUNT;
            case "backup.retention.maxAgeDays" -> RETENTION_MAX_AGE_DAYS;
            case "patch", "patch.mode" -> PATCH_MODE;
            case "patch.command" -> PATCH_COMMAND;
            case "patch.rebootIfRequired" -> REBOOT_IF_REQUIRED;
            case "patch.timeoutSeconds" -> TIMEOUT_SECONDS;
            default -> FORM;
        };
    }

    public PolicyForm withError(String field, String message) {
        addError(field, message);
        return this;
    }

    private Integer number(String field, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            addError(field, "'" + text + "' is not a whole number");
            return null;
        }
    }

    private <E> E enumValue(String field, String text, java.util.function.Function<String, E> parse) {
        try {
            return parse.apply(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            addError(field, "'" + text + "' is not one of the choices");
            return null;
        }
    }

    private static String join(List<?> values, String separator) {
        return String.join(separator, values.stream().map(String::valueOf).toList());
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static List<String> clean(List<String> values) {
        return values == null
                ? List.of()
                : values.stream()
                        .filter(v -> v != null && !v.isBlank())
                        .map(String::strip)
                        .distinct()
                        .toList();
    }

    // for the template

    public Input in() {
        return in;
    }

    /** The errors in the order of the page's fields (the summary links to each), then those at no field. */
    public List<Map.Entry<String, String>> errorList() {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (String field : FIELDS) {
            if (errors.containsKey(field)) {
                list.add(Map.entry(field, errors.get(field)));
            }
        }
        if (errors.containsKey(FORM)) {
            list.add(Map.entry(FORM, errors.get(FORM)));
        }
        return list;
    }

    public boolean scanKind(String kind) {
        return in.scanKinds().contains(kind);
    }

    public boolean cluster(String id) {
        return in.clusterIds().contains(id);
    }
}
