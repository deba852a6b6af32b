package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CloudType;
import io.edgefleet.sdk.model.LayerRequest;
import io.edgefleet.sdk.model.PolicyKind;
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
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileFormTest {

    private static final UUID POLICY = UUID.fromString("0b9a6c1e-2f4d-4c3b-9a8e-7d6c5b4a3f21");

    @Test
    void aPostBecomesTheRequestWithoutItsBlankRows() {
        ProfileForm form = ProfileForm.read(post(
                "name", " edge ",
                "version", "1.2.0",
                "type", "FULL",
                "cloudType", "containerized",
                "tags", "env=prod\n\n team = ops",
                "rows", "3",
                "layers[0].name", "ubuntu",
                "layers[0].version", "22.04.x",
                "layers[2].name", "kubernetes",
                "layers[2].version", "1.29.x",
                "layers[2].values", "a: 1"));
        ProfileRequest request = form.profileRequest();
        assertEquals("edge", request.getName());
        assertEquals("1.2.0", request.getVersion());
        assertEquals(ProfileType.FULL, request.getType());
        assertEquals(CloudType.CONTAINERIZED, request.getCloudType());
        assertEquals(Map.of("env", "prod", "team", "ops"), request.getTags());
        assertEquals(
                List.of("ubuntu", "kubernetes"),
                request.getLayers().stream().map(LayerRequest::getName).toList());
        assertNull(request.getLayers().get(0).getRegistry(), "blank registry: the service's default");
        assertEquals("a: 1", request.getLayers().get(1).getValues());
        assertEquals(ProfileForm.MIN_ROWS, form.rows().size(), "at least the usual rows are shown again");
    }

    @Test
    void theServicesLayerErrorsAreShownAtTheRowsTheLayersCameFrom() {
        ProfileForm form = ProfileForm.read(post(
                "name", "edge",
                "type", "FULL",
                "cloudType", "containerized",
                "layers[1].name", "ubuntu",
                "layers[1].version", "22.04.x",
                "layers[3].name", "kubernetes",
                "layers[3].version", "nope"));
        form.profileRequest(); // rows 1 and 3 are sent as layers[0] and layers[1]
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("name", "is taken");
        errors.put("layers[1].version", "not a version");
        errors.put("layers[0]", "the OS layer must come first");
        errors.put("layers[0].presets[0]", "no such preset");
        errors.put("layers", "a FULL profile needs a Kubernetes layer");
        errors.put("tags.env", "too long");
        errors.put("environment", "unknown");
        form.withServiceErrors(errors);

        assertEquals("is taken", form.error("name"));
        assertEquals("not a version", form.rowError(3, "version"));
        assertEquals("the OS layer must come first; presets[0]: no such preset", form.rowError(1));
        assertTrue(form.rowHasError(1) && form.rowHasError(3) && !form.rowHasError(0));
        assertEquals("a FULL profile needs a Kubernetes layer", form.error("layers"));
        assertEquals("env: too long", form.error("tags"));
        assertEquals("environment: unknown", form.error("form"));
        assertEquals(
                List.of("name", "layer-3-version", "layer-1", "layers", "tags", "profile-form"),
                form.listed().stream().map(ProfileForm.Listed::anchor).toList());
    }

    @Test
    void unreadableTagLinesAreTheFormsOwnErrorAndNothingIsSent() {
        ProfileForm form = ProfileForm.read(post("name", "edge", "type", "FULL", "tags", "env"));
        assertNull(form.profileRequest());
        assertEquals("line 1: write tags as key=value", form.error("tags"));
    }

    @Test
    void addingARowKeepsWhatWasTyped() {
        ProfileForm form = ProfileForm.read(post("rows", "5", "go", "add-layer", "layers[4].name", "calico"));
        assertEquals(6, form.rows().size());
        assertEquals("calico", form.rows().get(4).name());
    }

    @Test
    void aNewVersionStartsFromTheSourceVersion() {
        ProfileView source = new ProfileView()
                .id("p1")
                .name("edge")
                .version("1.4.9")
                .type(ProfileType.FULL)
                .cloudType(CloudType.CONTAINERIZED)
                .tags(Map.of("env", "prod"))
                .layers(List.of(new ProfileLayerView()
                        .registry("builtin")
                        .name("ubuntu")
                        .version("22.04.x")
                        .values("x: 1")));
        ProfileForm form = ProfileForm.newVersionOf(source);
        assertEquals("1.4.10", form.version());
        assertEquals("env=prod", form.tagsText());
        assertEquals(
                new ProfileForm.Row(0, "builtin", "ubuntu", "22.04.x", "x: 1"),
                form.rows().get(0));
        assertEquals("ubuntu", form.versionRequest().getLayers().get(0).getName());
    }

    @Test
    void aRolloutStrategyIsSentWithRolloutOnlyItsBlankFiguresLeftToTheService() {
        ProfileForm form = ProfileForm.read(post(
                "name", "edge",
                "type", "FULL",
                "rollout.mode", "ROLLOUT",
                "rollout.canaries", "2",
                "rollout.wavePercent", " 25 ",
                "rollout.maxConcurrency", "5",
                "rollout.maxFailures", "",
                "rollout.bakeTime", "PT10M",
                "rollout.offlineMode", "SKIP"));
        ProfileRolloutRequest rollout = form.profileRequest().getRollout();
        assertEquals(RolloutMode.ROLLOUT, rollout.getMode());
        assertEquals(2, rollout.getCanaries());
        assertEquals(25, rollout.getWavePercent());
        assertEquals(5, rollout.getMaxConcurrency());
        assertNull(rollout.getMaxFailures(), "blank: the service's default");
        assertNull(rollout.getWaveSize());
        assertEquals("PT10M", rollout.getBakeTime());
        assertEquals(ProfileRolloutRequest.OfflineModeEnum.SKIP, rollout.getOfflineMode());
        assertNull(rollout.getHealthTimeout());

        // IMMEDIATE: what was typed in the strategy is not sent
        ProfileForm immediate = ProfileForm.read(
                post("name", "edge", "rollout.mode", "IMMEDIATE", "rollout.canaries", "x", "rollout.bakeTime", "PT1M"));
        ProfileRolloutRequest only = immediate.profileRequest().getRollout();
        assertEquals(new ProfileRolloutRequest().mode(RolloutMode.IMMEDIATE), only);
        assertEquals("x", immediate.rollout("canaries"), "what was typed is kept on the form");
        // no mode posted (a hand-made post): the service's default
        assertNull(ProfileForm.read(post("name", "edge")).profileRequest().getRollout());
        assertEquals("IMMEDIATE", ProfileForm.empty().rolloutMode(), "a new profile starts IMMEDIATE");
    }

    @Test
    void unreadableStrategyFiguresAreTheFormsOwnErrorsAtTheirFieldsAndNothingIsSent() {
        ProfileForm form = ProfileForm.read(post(
                "name", "edge",
                "rollout.mode", "ROLLOUT",
                "rollout.canaries", "two",
                "rollout.maxFailurePercent", "5%",
                "rollout.offlineMode", "SOMETIMES"));
        assertNull(form.profileRequest());
        assertEquals("not a whole number: two", form.rolloutError("canaries"));
        assertEquals("not a whole number: 5%", form.rolloutError("maxFailurePercent"));
        assertEquals("one of SKIP, WAIT, FAIL", form.rolloutError("offlineMode"));
        assertNull(ProfileForm.read(post("rollout.mode", "LATER")).versionRequest());
    }

    @Test
    void theServicesStrategyErrorsAreShownAtTheirFields() {
        ProfileForm form = ProfileForm.read(post("name", "edge", "rollout.mode", "ROLLOUT", "rollout.canaries", "101"));
        form.profileRequest();
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("rollout.canaries", "must be between 0 and 100");
        errors.put("rollout.bakeTime", "not an ISO-8601 duration");
        errors.put("rollout.waveSize", "give waveSize or wavePercent, not both");
        errors.put("rollout.mode", "unknown");
        errors.put("rollout.somethingNew", "refused");
        errors.put("rollout", "not allowed for ADDON profiles");
        form.withServiceErrors(errors);

        assertEquals("must be between 0 and 100", form.rolloutError("canaries"));
        assertEquals("not an ISO-8601 duration", form.rolloutError("bakeTime"));
        assertEquals("give waveSize or wavePercent, not both", form.rolloutError("waveSize"));
        assertEquals("unknown", form.error("rollout.mode"));
        // one the form has no field for: at the strategy as a whole, naming it
        assertEquals("rollout.somethingNew: refused; not allowed for ADDON profiles", form.error("rollout"));
        assertEquals(
                List.of("rollout-canaries", "rollout-bakeTime", "rollout-waveSize", "rollout-mode", "rollout"),
                form.listed().stream().map(ProfileForm.Listed::anchor).toList());
        assertEquals("101", form.rollout("canaries"), "what was typed is kept");
    }

    @Test
    void aNewVersionStartsFromTheSourcesRolloutStrategy() {
        ProfileView source = new ProfileView()
                .id("p1")
                .name("edge")
                .version("2.0.0")
                .rollout(new ProfileRollout()
                        .mode(RolloutMode.ROLLOUT)
                        .canaries(1)
                        .wavePercent(10)
                        .maxConcurrency(10)
                        .maxFailures(0)
                        .bakeTime("PT5M")
                        .offlineMode("WAIT")
                        .offlineTimeout("PT1H")
                        .healthTimeout("PT30M")
                        .scan(new ScanGate()
                                .policyId(POLICY.toString())
                                .failOn("WARNED")
                                .timeout("PT10M")));
        ProfileForm form = ProfileForm.newVersionOf(source);
        assertEquals("ROLLOUT", form.rolloutMode());
        assertEquals("PT5M", form.rollout("bakeTime"));
        assertEquals("", form.rollout("waveSize"));
        ProfileRolloutRequest again = form.versionRequest().getRollout();
        assertEquals(RolloutMode.ROLLOUT, again.getMode());
        assertEquals(1, again.getCanaries());
        assertEquals(10, again.getWavePercent());
        assertEquals(ProfileRolloutRequest.OfflineModeEnum.WAIT, again.getOfflineMode());
        assertEquals(
                new ProfileRolloutScanRequest()
                        .policyId(POLICY)
                        .failOn(ProfileRolloutScanRequest.FailOnEnum.WARNED)
                        .timeout("PT10M"),
                again.getScan());

        ProfileForm immediate = ProfileForm.newVersionOf(new ProfileView()
                .name("edge")
                .version("1.0.0")
                .rollout(new ProfileRollout().mode(RolloutMode.IMMEDIATE)));
        assertEquals("IMMEDIATE", immediate.rolloutMode());
    }

    @Test
    void theScanGateIsSentWithRolloutOnlyWhenOneOfItsFieldsIsFilledIn() {
        UUID policy = UUID.randomUUID();
        ProfileRolloutRequest rollout = ProfileForm.read(post(
                        "name", "edge",
                        "rollout.mode", "ROLLOUT",
                        "rollout.scan.policyId", " " + policy + " ",
                        "rollout.scan.failOn", "warned",
                        "rollout.scan.timeout", "PT10M"))
                .profileRequest()
                .getRollout();
        assertEquals(
                new ProfileRolloutScanRequest()
                        .policyId(policy)
                        .failOn(ProfileRolloutScanRequest.FailOnEnum.WARNED)
                        .timeout("PT10M"),
                rollout.getScan());

        // only the policy: failOn and timeout left to the service's defaults
        ProfileRolloutScanRequest only = ProfileForm.read(post(
                        "rollout.mode",
                        "ROLLOUT",
                        "rollout.scan.policyId",
                        policy.toString(),
                        "rollout.scan.failOn",
                        ""))
                .profileRequest()
                .getRollout()
                .getScan();
        assertEquals(new ProfileRolloutScanRequest().policyId(policy), only);
        // none of its fields: no gate
        assertNull(ProfileForm.read(post("rollout.mode", "ROLLOUT"))
                .profileRequest()
                .getRollout()
                .getScan());
        // a timeout without a policy is sent for the service to name the missing policy
        ProfileRolloutScanRequest noPolicy = ProfileForm.read(
                        post("rollout.mode", "ROLLOUT", "rollout.scan.timeout", "PT5M"))
                .versionRequest()
                .getRollout()
                .getScan();
        assertNull(noPolicy.getPolicyId());
        assertEquals("PT5M", noPolicy.getTimeout());
        // IMMEDIATE: the gate belongs to ROLLOUT, it is not sent (and kept on the form)
        ProfileForm immediate =
                ProfileForm.read(post("rollout.mode", "IMMEDIATE", "rollout.scan.policyId", policy.toString()));
        assertEquals(
                new ProfileRolloutRequest().mode(RolloutMode.IMMEDIATE),
                immediate.profileRequest().getRollout());
        assertEquals(policy.toString(), immediate.rollout("scan.policyId"));
    }

    @Test
    void anUnreadableScanGateIsTheFormsOwnErrorAtItsFields() {
        ProfileForm form = ProfileForm.read(post(
                "name", "edge",
                "rollout.mode", "ROLLOUT",
                "rollout.scan.policyId", "nightly",
                "rollout.scan.failOn", "SOMETIMES"));
        assertNull(form.profileRequest());
        assertEquals("not a policy id: nightly", form.rolloutError("scan.policyId"));
        assertEquals("FAILED or WARNED", form.rolloutError("scan.failOn"));
        assertEquals(
                List.of("rollout-scan-policyId", "rollout-scan-failOn"),
                form.listed().stream().map(ProfileForm.Listed::anchor).toList());
    }

    @Test
    void theServicesScanGateErrorsAreShownAtTheirFields() {
        ProfileForm form =
                ProfileForm.read(post("name", "edge", "rollout.mode", "ROLLOUT", "rollout.scan.timeout", "PT0S"));
        form.profileRequest();
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("rollout.scan.policyId", "is required: a SCAN policy's id");
        errors.put("rollout.scan.timeout", "must be PT1S to P365D (ISO-8601, e.g. PT10M)");
        errors.put("rollout.scan.somethingNew", "refused");
        form.withServiceErrors(errors);

        assertEquals("is required: a SCAN policy's id", form.rolloutError("scan.policyId"));
        assertEquals("must be PT1S to P365D (ISO-8601, e.g. PT10M)", form.rolloutError("scan.timeout"));
        assertEquals("rollout.scan.somethingNew: refused", form.error("rollout"));
        assertEquals(
                List.of("rollout-scan-policyId", "rollout-scan-timeout", "rollout"),
                form.listed().stream().map(ProfileForm.Listed::anchor).toList());
        assertEquals("PT0S", form.rollout("scan.timeout"), "what was typed is kept");
    }

    @Test
    void theGateOffersTheTenantsScanPoliciesByNameAndTheChosenOneEvenWhenNotAmongThem() {
        UUID nightly = UUID.randomUUID();
        UUID audit = UUID.randomUUID();
        UUID backup = UUID.randomUUID();
        List<PolicyView> policies = List.of(
                new PolicyView().id(nightly).name("nightly").kind(PolicyKind.SCAN),
                new PolicyView().id(backup).name("backup").kind(PolicyKind.BACKUP),
                new PolicyView().id(audit).name("audit").kind(PolicyKind.SCAN));
        ProfileForm form = ProfileForm.empty().withScanPolicies(policies);
        assertTrue(form.scanPoliciesListed());
        assertEquals(
                List.of(
                        new ScanPolicyChoice(audit.toString(), "audit"),
                        new ScanPolicyChoice(nightly.toString(), "nightly")),
                form.scanPolicies());

        String gone = UUID.randomUUID().toString();
        ProfileForm chosen = ProfileForm.read(post("rollout.mode", "ROLLOUT", "rollout.scan.policyId", gone))
                .withScanPolicies(policies);
        assertEquals(3, chosen.scanPolicies().size());
        assertEquals(gone, chosen.scanPolicies().get(2).id(), "the chosen policy stays selectable");
        // policy-service did not answer: only the chosen one, and the page says why
        ProfileForm unlisted =
                ProfileForm.read(post("rollout.scan.policyId", gone)).withScanPolicies(null);
        assertFalse(unlisted.scanPoliciesListed());
        assertEquals(
                List.of(gone),
                unlisted.scanPolicies().stream().map(ScanPolicyChoice::id).toList());
        // the same id in capitals is the listed policy, not another choice
        assertEquals(
                2,
                ProfileForm.read(post("rollout.scan.policyId", audit.toString().toUpperCase(Locale.ROOT)))
                        .withScanPolicies(policies)
                        .scanPolicies()
                        .size());
    }

    private static MultivaluedHashMap<String, String> post(String... fields) {
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            posted.add(fields[i], fields[i + 1]);
        }
        return posted;
    }
}
