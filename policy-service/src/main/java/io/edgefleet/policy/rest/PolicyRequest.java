package io.edgefleet.policy.rest;

import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.events.payload.PolicyKind;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.policy.repository.PatchMode;
import io.edgefleet.policy.repository.PolicySettings;
import io.edgefleet.policy.service.CronSchedule;
import io.edgefleet.policy.service.PolicyDefinition;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Body of POST /v1/policies and PUT /v1/policies/{id}. Only the part of the policy's kind may be given. */
@Schema(name = "PolicyRequest")
public record PolicyRequest(
        @Schema(required = true, examples = "nightly-backup")
        String name,

        @Schema(required = true) PolicyKind kind,

        @Schema(description = "absent: the policy runs on demand only")
        ScheduleRequest schedule,

        @Schema(description = "clusters the policy applies to (ids from cluster-service)")
        List<String> clusterIds,

        ScanRequest scan,
        BackupRequest backup,
        PatchRequest patch) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}");
    static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*");
    static final Pattern ACCESS_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    /** Node paths end up in archives and commands on the node: plain absolute paths only. */
    static final Pattern NODE_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    public record ScheduleRequest(
            @Schema(
                    required = true,
                    description = "5 fields: minute hour day-of-month month day-of-week",
                    examples = "0 2 * * *")
            String cron,

            @Schema(description = "IANA time zone the expression is read in (default UTC)", examples = "Europe/Berlin")
            String timeZone) {

        public String zone() {
            return timeZone == null ? "UTC" : timeZone;
        }
    }

    public record ScanRequest(
            @Schema(required = true, description = "CONFIGURATION_SECURITY, PENETRATION, CONFORMANCE")
            List<NodeTask.ScanKind> kinds,

            @Schema(description = "penetration tests flag these ports when open, on top of the gateway's list")
            List<Integer> forbiddenPorts) {}

    public record BackupRequest(
            @Schema(required = true) StoreRequest store,

            @Schema(description = "the nodes' data directories to archive (default /var/lib/edgefleet)")
            List<String> paths,

            @Schema(description = "also archive the cluster's rendered configuration on each node (default true)")
            Boolean includeConfiguration,

            RetentionRequest retention) {}

    public record StoreRequest(
            @Schema(required = true, examples = "http://127.0.0.1:19000")
            String endpoint,

            @Schema(description = "default us-east-1") String region,
            @Schema(required = true) String bucket,

            @Schema(description = "key prefix of the archives, e.g. edgefleet/backups")
            String prefix,

            @Schema(required = true) String accessKeyId,

            @Schema(description = "required on create; on replace, absent keeps the stored one. Never returned.")
            String secretAccessKey) {}

    public record RetentionRequest(
            @Schema(description = "backups kept per cluster, 1 to 1000 (default 7)")
            Integer count,

            @Schema(description = "older backups are deleted, 0 to 3650 days (default 0: no age limit)")
            Integer maxAgeDays) {}

    public record PatchRequest(
            @Schema(
                    description =
                            "RELINK (default): the cluster's OS layer moves to the newest release of its version train and "
                                    + "the nodes roll per the pools' strategies (through cluster-service, as a re-link would; OS re-links of the "
                                    + "policy's clusters wait for its runs). NODE_COMMAND: `command` runs inside each node, one node at a time")
            PatchMode mode,

            @Schema(
                    description = "NODE_COMMAND only (required there): run with sh -c inside each node",
                    examples = "apt-get update && apt-get -y upgrade")
            String command,

            @Schema(
                    description =
                            "NODE_COMMAND only: restart the node when the command leaves /var/run/reboot-required (default true)")
            Boolean rebootIfRequired,

            @Schema(description = "NODE_COMMAND only: per node, 10 to 86400 (default 1800)")
            Integer timeoutSeconds) {

        PatchMode modeOrDefault() {
            return mode == null ? PatchMode.RELINK : mode;
        }
    }

    /**
     * Checks every field (all errors at once).
     *
     * @param secretRequired whether {@code backup.store.secretAccessKey} must be given (create, or no stored one)
     */
    public void validate(boolean secretRequired) {
        Validator v = new Validator();
        validate(secretRequired, v);
        v.throwIfInvalid();
    }

    /** Adds every problem of the body to {@code v} (with those of the path and query, one 400 lists them all). */
    public void validate(boolean secretRequired, Validator v) {
        v.text(
                name,
                "name",
                1,
                63,
                NAME,
                "must start with a letter or digit and hold only letters, digits, spaces, '.', '_', '-'");
        v.require(kind != null, "kind", "is required: OS_PATCH, SCAN or BACKUP");
        if (schedule != null) {
            CronSchedule.validated(schedule.cron(), schedule.zone(), "schedule", v);
        }
        List<String> ids = clusterIds == null ? List.of() : clusterIds;
        v.require(
                ids.size() <= PolicyDefinition.MAX_CLUSTERS,
                "clusterIds",
                "at most " + PolicyDefinition.MAX_CLUSTERS + " clusters per policy");
        for (int i = 0; i < ids.size() && i < PolicyDefinition.MAX_CLUSTERS; i++) {
            String id = ids.get(i);
            v.require(
                    id != null && CLUSTER_ID.matcher(id).matches(),
                    "clusterIds[" + i + "]",
                    "'" + id + "' is not a cluster id");
        }
        v.require(new HashSet<>(ids).size() == ids.size(), "clusterIds", "names a cluster twice");
        v.require(kind == PolicyKind.SCAN || scan == null, "scan", "only for policies of kind SCAN");
        v.require(kind == PolicyKind.BACKUP || backup == null, "backup", "only for policies of kind BACKUP");
        v.require(kind == PolicyKind.OS_PATCH || patch == null, "patch", "only for policies of kind OS_PATCH");
        if (kind == PolicyKind.SCAN) {
            validateScan(scan, "scan", v);
        } else if (kind == PolicyKind.BACKUP) {
            validateBackup(secretRequired, v);
        } else if (kind == PolicyKind.OS_PATCH) {
            validatePatch(v);
        }
    }

    static void validateScan(ScanRequest scan, String field, Validator v) {
        if (scan == null) {
            v.require(false, field, "is required for a SCAN policy: {\"kinds\": [\"CONFIGURATION_SECURITY\", ...]}");
            return;
        }
        // not List.of(): its contains(null) throws, which made "kinds": null a 500
        List<NodeTask.ScanKind> kinds = scan.kinds() == null ? Collections.emptyList() : scan.kinds();
        v.require(
                !kinds.isEmpty(),
                field + ".kinds",
                "name at least one of CONFIGURATION_SECURITY, PENETRATION, CONFORMANCE");
        v.require(!kinds.contains(null), field + ".kinds", "must not hold null");
        v.require(new HashSet<>(kinds).size() == kinds.size(), field + ".kinds", "names a scan twice");
        List<Integer> ports = scan.forbiddenPorts() == null ? List.of() : scan.forbiddenPorts();
        v.require(ports.size() <= 50, field + ".forbiddenPorts", "at most 50 ports");
        for (int i = 0; i < ports.size() && i < 50; i++) {
            Integer port = ports.get(i);
            v.require(
                    port != null && port >= 1 && port <= 65535,
                    field + ".forbiddenPorts[" + i + "]",
                    "must be a port from 1 to 65535");
        }
    }

    private void validateBackup(boolean secretRequired, Validator v) {
        if (backup == null) {
            v.require(false, "backup", "is required for a BACKUP policy: the object store, paths and retention");
            return;
        }
        StoreRequest store = backup.store();
        if (store == null) {
            v.require(false, "backup.store", "is required: endpoint, bucket, accessKeyId, secretAccessKey");
        } else {
            v.require(
                    validEndpoint(store.endpoint()),
                    "backup.store.endpoint",
                    "must be an http(s) URL of an S3-compatible server, without path, query or credentials, e.g. http://127.0.0.1:19000");
            v.require(
                    store.region() == null || REGION.matcher(store.region()).matches(),
                    "backup.store.region",
                    "'" + store.region() + "' is not a region name such as us-east-1");
            v.text(
                    store.bucket(),
                    "backup.store.bucket",
                    3,
                    63,
                    BUCKET,
                    "must be an S3 bucket name: lowercase letters, digits, '.', '-'");
            v.require(
                    store.prefix() == null
                            || (store.prefix().length() <= 200
                                    && PREFIX.matcher(store.prefix()).matches()
                                    && !store.prefix().contains("..")),
                    "backup.store.prefix",
                    "must be a key prefix like edgefleet/backups (no leading or trailing '/', no '..', at most 200 characters)");
            v.text(
                    store.accessKeyId(),
                    "backup.store.accessKeyId",
                    1,
                    128,
                    ACCESS_KEY,
                    "must be printable characters without spaces");
            if (store.secretAccessKey() != null || secretRequired) {
                v.text(
                        store.secretAccessKey(),
                        "backup.store.secretAccessKey",
                        1,
                        256,
                        ACCESS_KEY,
                        "must be printable characters without spaces");
            }
        }
        List<String> paths = backup.paths() == null ? List.of() : backup.paths();
        v.require(paths.size() <= 20, "backup.paths", "at most 20 directories");
        for (int i = 0; i < paths.size() && i < 20; i++) {
            String path = paths.get(i);
            v.require(
                    path != null
                            && path.length() <= 255
                            && NODE_PATH.matcher(path).matches()
                            && List.of(path.split("/")).stream().noneMatch(p -> p.equals(".") || p.equals("..")),
                    "backup.paths[" + i + "]",
                    "'" + path + "' is not an absolute directory path (letters, digits, '.', '_', '-'; no '..')");
        }
        v.require(new HashSet<>(paths).size() == paths.size(), "backup.paths", "names a directory twice");
        RetentionRequest retention = backup.retention();
        if (retention != null) {
            v.require(
                    retention.count() == null || (retention.count() >= 1 && retention.count() <= 1000),
                    "backup.retention.count",
                    "must be from 1 to 1000");
            v.require(
                    retention.maxAgeDays() == null || (retention.maxAgeDays() >= 0 && retention.maxAgeDays() <= 3650),
                    "backup.retention.maxAgeDays",
                    "must be from 0 (no limit) to 3650");
        }
    }

    private static boolean validEndpoint(String endpoint) {
        if (endpoint == null || endpoint.length() > 255) {
            return false;
        }
        try {
            URI uri = new URI(endpoint);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getUserInfo() == null
                    && uri.getQuery() == null
                    && uri.getFragment() == null
                    && (uri.getPath() == null
                            || uri.getPath().isEmpty()
                            || uri.getPath().equals("/"));
        } catch (Exception e) {
            return false;
        }
    }

    private void validatePatch(Validator v) {
        if (patch == null || patch.modeOrDefault() == PatchMode.RELINK) { // the default: nothing to give
            if (patch != null) {
                String why =
                        "only for mode NODE_COMMAND; mode RELINK (the default) rolls the nodes onto the newest OS release of "
                                + "the train";
                v.require(
                        patch.command() == null,
                        "patch.command",
                        why + " (set patch.mode to NODE_COMMAND to run a command in each node)");
                v.require(patch.rebootIfRequired() == null, "patch.rebootIfRequired", why);
                v.require(patch.timeoutSeconds() == null, "patch.timeoutSeconds", why);
            }
            return;
        }
        v.require(
                patch.command() != null
                        && !patch.command().isBlank()
                        && patch.command().length() <= 4096
                        && patch.command().indexOf('\0') < 0,
                "patch.command",
                "is required for mode NODE_COMMAND: a shell command of at most 4096 characters");
        v.require(
                patch.timeoutSeconds() == null || (patch.timeoutSeconds() >= 10 && patch.timeoutSeconds() <= 86400),
                "patch.timeoutSeconds",
                "must be from 10 to 86400");
    }

    /** The settings to store (defaults filled in, the secret left out). */
    public PolicySettings settings() {
        return switch (kind) {
            case SCAN -> new PolicySettings(scanSettings(scan), null, null);
            case BACKUP -> {
                StoreRequest s = backup.store();
                RetentionRequest r = backup.retention();
                yield new PolicySettings(
                        null,
                        new PolicySettings.Backup(
                                new PolicySettings.StoreLocation(
                                        stripSlash(s.endpoint()),
                                        s.region() == null ? "us-east-1" : s.region(),
                                        s.bucket(),
                                        s.prefix(),
                                        s.accessKeyId()),
                                backup.paths() == null || backup.paths().isEmpty()
                                        ? List.of("/var/lib/edgefleet")
                                        : List.copyOf(backup.paths()),
                                backup.includeConfiguration() == null || backup.includeConfiguration(),
                                new PolicySettings.Retention(
                                        r == null || r.count() == null ? 7 : r.count(),
                                        r == null || r.maxAgeDays() == null ? 0 : r.maxAgeDays())),
                        null);
            }
            case OS_PATCH ->
                new PolicySettings(
                        null,
                        null,
                        patch == null || patch.modeOrDefault() == PatchMode.RELINK
                                ? PolicySettings.Patch.relink()
                                : new PolicySettings.Patch(
                                        PatchMode.NODE_COMMAND,
                                        patch.command(),
                                        patch.rebootIfRequired() == null || patch.rebootIfRequired(),
                                        patch.timeoutSeconds() == null ? 1800 : patch.timeoutSeconds()));
        };
    }

    static PolicySettings.Scan scanSettings(ScanRequest scan) {
        return new PolicySettings.Scan(
                List.copyOf(scan.kinds()),
                scan.forbiddenPorts() == null ? List.of() : new ArrayList<>(new TreeSet<>(scan.forbiddenPorts())));
    }

    private static String stripSlash(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    /** The validated request as the service takes it. */
    public PolicyDefinition definition() {
        return new PolicyDefinition(
                name,
                kind,
                schedule == null ? null : schedule.cron().trim(),
                schedule == null ? "UTC" : schedule.zone(),
                clusterIdList(),
                settings(),
                secret());
    }

    public List<String> clusterIdList() {
        return clusterIds == null ? List.of() : List.copyOf(clusterIds);
    }

    public String secret() {
        return backup == null || backup.store() == null ? null : backup.store().secretAccessKey();
    }
}
