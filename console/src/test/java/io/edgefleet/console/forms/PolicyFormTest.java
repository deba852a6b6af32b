package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.BackupView;
import io.edgefleet.sdk.model.PatchMode;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyRequest;
import io.edgefleet.sdk.model.PolicySchedule;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RetentionSettings;
import io.edgefleet.sdk.model.ScanKind;
import io.edgefleet.sdk.model.StoreView;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFormTest {

    private static PolicyForm.Input input(String kind) {
        return new PolicyForm.Input(
                " nightly ",
                kind,
                "0 2 * * *",
                "Europe/Berlin",
                List.of("c-1", "", "c-2", "c-1"),
                List.of("PENETRATION"),
                "23, 2375",
                "http://127.0.0.1:19000",
                "",
                "backups",
                "",
                "AKIA",
                "s3cret",
                "/var/lib/edgefleet\n\n/etc/app\n",
                false,
                "3",
                "30",
                "NODE_COMMAND",
                "apt-get -y upgrade",
                true,
                "600");
    }

    @Test
    void aScanPolicySendsOnlyItsScanSettings() {
        PolicyRequest r = new PolicyForm(input("SCAN")).request();
        assertNotNull(r);
        assertEquals("nightly", r.getName());
        assertEquals(PolicyKind.SCAN, r.getKind());
        assertEquals("0 2 * * *", r.getSchedule().getCron());
        assertEquals("Europe/Berlin", r.getSchedule().getTimeZone());
        assertEquals(List.of("c-1", "c-2"), r.getClusterIds(), "blank and repeated check boxes are dropped");
        assertEquals(List.of(ScanKind.PENETRATION), r.getScan().getKinds());
        assertEquals(List.of(23, 2375), r.getScan().getForbiddenPorts());
        assertNull(r.getBackup());
        assertNull(r.getPatch());
    }

    @Test
    void aBackupPolicySendsItsStorePathsAndRetention() {
        PolicyRequest r = new PolicyForm(input("BACKUP")).request();
        assertNotNull(r);
        assertNull(r.getScan());
        assertNull(r.getPatch());
        var store = r.getBackup().getStore();
        assertEquals("http://127.0.0.1:19000", store.getEndpoint());
        assertNull(store.getRegion(), "blank: the service's default");
        assertNull(store.getPrefix());
        assertEquals("backups", store.getBucket());
        assertEquals("s3cret", store.getSecretAccessKey());
        assertEquals(List.of("/var/lib/edgefleet", "/etc/app"), r.getBackup().getPaths());
        assertFalse(r.getBackup().getIncludeConfiguration());
        assertEquals(3, r.getBackup().getRetention().getCount());
        assertEquals(30, r.getBackup().getRetention().getMaxAgeDays());
    }

    @Test
    void aBlankSecretIsLeftOutSoTheServiceKeepsTheStoredOne() {
        PolicyForm.Input in = input("BACKUP");
        PolicyForm.Input noSecret = new PolicyForm.Input(
                in.name(),
                in.kind(),
                in.cron(),
                in.timeZone(),
                in.clusterIds(),
                in.scanKinds(),
                in.forbiddenPorts(),
                in.endpoint(),
                in.region(),
                in.bucket(),
                in.prefix(),
                in.accessKeyId(),
                "",
                in.paths(),
                in.includeConfiguration(),
                in.retentionCount(),
                in.retentionMaxAgeDays(),
                in.patchMode(),
                in.patchCommand(),
                in.rebootIfRequired(),
                in.timeoutSeconds());
        assertNull(new PolicyForm(noSecret).request().getBackup().getStore().getSecretAccessKey());
    }

    @Test
    void anOsPatchSendsTheCommandSettingsOnlyForNodeCommand() {
        PolicyRequest command = new PolicyForm(input("OS_PATCH")).request();
        assertEquals(PatchMode.NODE_COMMAND, command.getPatch().getMode());
        assertEquals("apt-get -y upgrade", command.getPatch().getCommand());
        assertTrue(command.getPatch().getRebootIfRequired());
        assertEquals(600, command.getPatch().getTimeoutSeconds());

        PolicyForm.Input in = input("OS_PATCH");
        PolicyForm.Input relink = new PolicyForm.Input(
                in.name(),
                in.kind(),
                "",
                in.timeZone(),
                in.clusterIds(),
                in.scanKinds(),
                in.forbiddenPorts(),
                in.endpoint(),
                in.region(),
                in.bucket(),
                in.prefix(),
                in.accessKeyId(),
                in.secretAccessKey(),
                in.paths(),
                in.includeConfiguration(),
                in.retentionCount(),
                in.retentionMaxAgeDays(),
                "RELINK",
                in.patchCommand(),
                in.rebootIfRequired(),
                in.timeoutSeconds());
        PolicyRequest r = new PolicyForm(relink).request();
        assertEquals(PatchMode.RELINK, r.getPatch().getMode());
        assertNull(r.getPatch().getCommand(), "the service refuses a command with RELINK");
        assertNull(r.getPatch().getRebootIfRequired());
        assertNull(r.getPatch().getTimeoutSeconds());
        assertNull(r.getSchedule(), "no expression: on demand only");
    }

    @Test
    void unreadableNumbersAndKindsAreErrorsAtTheirFieldsAllAtOnce() {
        PolicyForm.Input in = input("BACKUP");
        PolicyForm form = new PolicyForm(new PolicyForm.Input(
                in.name(),
                in.kind(),
                in.cron(),
                in.timeZone(),
                in.clusterIds(),
                in.scanKinds(),
                in.forbiddenPorts(),
                in.endpoint(),
                in.region(),
                in.bucket(),
                in.prefix(),
                in.accessKeyId(),
                in.secretAccessKey(),
                in.paths(),
                in.includeConfiguration(),
                "seven",
                "1.5",
                in.patchMode(),
                in.patchCommand(),
                in.rebootIfRequired(),
                in.timeoutSeconds()));
        assertNull(form.request());
        assertTrue(form.error(PolicyForm.RETENTION_COUNT).contains("'seven'"));
        assertTrue(form.error(PolicyForm.RETENTION_MAX_AGE_DAYS).contains("'1.5'"));

        PolicyForm noKind = new PolicyForm(input("LINT"));
        assertNull(noKind.request());
        assertNotNull(noKind.error(PolicyForm.KIND));
    }

    @Test
    void theServicesFieldNamesArePlacedAtTheFormsFields() {
        assertEquals(PolicyForm.NAME, PolicyForm.formField("name"));
        assertEquals(PolicyForm.CRON, PolicyForm.formField("schedule.cron"));
        assertEquals(PolicyForm.TIME_ZONE, PolicyForm.formField("schedule.timeZone"));
        assertEquals(PolicyForm.CLUSTERS, PolicyForm.formField("clusterIds[2]"));
        assertEquals(PolicyForm.SCAN_KINDS, PolicyForm.formField("scan.kinds"));
        assertEquals(PolicyForm.FORBIDDEN_PORTS, PolicyForm.formField("scan.forbiddenPorts[0]"));
        assertEquals(PolicyForm.BUCKET, PolicyForm.formField("backup.store.bucket"));
        assertEquals(PolicyForm.ENDPOINT, PolicyForm.formField("backup.store"));
        assertEquals(PolicyForm.PATHS, PolicyForm.formField("backup.paths[1]"));
        assertEquals(PolicyForm.RETENTION_COUNT, PolicyForm.formField("backup.retention.count"));
        assertEquals(PolicyForm.PATCH_COMMAND, PolicyForm.formField("patch.command"));
        assertEquals(PolicyForm.TIMEOUT_SECONDS, PolicyForm.formField("patch.timeoutSeconds"));
        assertEquals(PolicyForm.FORM, PolicyForm.formField("somethingNew"));

        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("name", "must start with a letter or digit");
        errors.put("schedule.cron", "is not a cron expression");
        errors.put("clusterIds[1]", "no cluster 'x' in your tenant");
        errors.put("somethingNew", "odd");
        PolicyForm form = PolicyForm.empty().withServiceErrors(errors);
        assertEquals("must start with a letter or digit", form.error(PolicyForm.NAME));
        assertEquals("is not a cron expression", form.error(PolicyForm.CRON));
        assertEquals("no cluster 'x' in your tenant", form.error(PolicyForm.CLUSTERS));
        assertEquals("somethingNew: odd", form.error(PolicyForm.FORM));
        // the summary: in the page's order, the form's own last
        assertEquals(
                List.of(PolicyForm.NAME, PolicyForm.CRON, PolicyForm.CLUSTERS, PolicyForm.FORM),
                form.errorList().stream().map(Map.Entry::getKey).toList());
    }

    @Test
    void anExistingBackupPolicyFillsTheFormWithoutItsSecret() {
        PolicyView view = new PolicyView()
                .name("nightly")
                .kind(PolicyKind.BACKUP)
                .schedule(new PolicySchedule().cron("0 3 * * *").timeZone("UTC"))
                .clusterIds(List.of("c-1"))
                .backup(new BackupView()
                        .store(new StoreView()
                                .endpoint("http://s3:9000")
                                .region("us-east-1")
                                .bucket("b")
                                .accessKeyId("AK")
                                .secretAccessKeySet(true))
                        .paths(List.of("/a", "/b"))
                        .includeConfiguration(false)
                        .retention(new RetentionSettings().count(5).maxAgeDays(10)));
        PolicyForm form = PolicyForm.of(view);
        assertEquals("0 3 * * *", form.in().cron());
        assertTrue(form.cluster("c-1"));
        assertEquals("/a\n/b", form.in().paths());
        assertEquals("", form.in().secretAccessKey());
        assertFalse(form.in().includeConfiguration());
        PolicyRequest again = form.request();
        assertEquals(5, again.getBackup().getRetention().getCount());
        assertNull(again.getBackup().getStore().getSecretAccessKey(), "left out: the stored one is kept");
    }
}
