package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CreateRolloutRequest;
import io.edgefleet.sdk.model.PolicyKind;
import io.edgefleet.sdk.model.PolicyView;
import io.edgefleet.sdk.model.RolloutScanRequest;
import io.edgefleet.sdk.model.StrategyRequest;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class RolloutFormTest {

    @Test
    void aPostBecomesTheRequestBlankStrategyFieldsLeftToTheService() {
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("name", " k8s 1.29 ");
        posted.add("profileId", "p2");
        posted.add("targetProfiles", "p1");
        posted.add("targetProfiles", "");
        posted.add("targetTags", "env=prod");
        posted.add("targetClusters", "c1");
        posted.add("targetClusters", "c2");
        posted.add("canaries", "2");
        posted.add("waveSize", "");
        posted.add("bakeTime", "PT10M");
        posted.add("offlineMode", "SKIP");
        CreateRolloutRequest request = RolloutForm.read(posted).request();
        assertEquals("k8s 1.29", request.getName());
        assertEquals("p2", request.getProfileId());
        assertEquals(List.of("p1"), request.getSelector().getProfileIds());
        assertEquals(Map.of("env", "prod"), request.getSelector().getTags());
        assertEquals(List.of("c1", "c2"), request.getSelector().getClusterIds());
        assertEquals(2, request.getStrategy().getCanaries());
        assertNull(request.getStrategy().getWaveSize());
        assertNull(request.getStrategy().getMaxConcurrency());
        assertEquals("PT10M", request.getStrategy().getBakeTime());
        assertEquals(StrategyRequest.OfflineModeEnum.SKIP, request.getStrategy().getOfflineMode());
        assertNull(request.getStrategy().getScan(), "no scan field filled in: no scan gate");
    }

    @Test
    void theScanGateIsSentWhenOneOfItsFieldsIsFilledInBlanksLeftToTheService() {
        UUID policy = UUID.randomUUID();
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("profileId", "p2");
        posted.add("scanPolicyId", " " + policy + " ");
        posted.add("scanFailOn", "warned");
        posted.add("scanTimeout", "PT10M");
        RolloutScanRequest scan =
                RolloutForm.read(posted).request().getStrategy().getScan();
        assertEquals(policy, scan.getPolicyId());
        assertEquals(RolloutScanRequest.FailOnEnum.WARNED, scan.getFailOn());
        assertEquals("PT10M", scan.getTimeout());

        MultivaluedHashMap<String, String> timeoutOnly = new MultivaluedHashMap<>();
        timeoutOnly.add("scanTimeout", "PT5M");
        RolloutScanRequest noPolicy =
                RolloutForm.read(timeoutOnly).request().getStrategy().getScan();
        assertNull(noPolicy.getPolicyId(), "a gate without a policy is sent: cluster-service names what is missing");
        assertNull(noPolicy.getFailOn(), "blank: the service's default");
    }

    @Test
    void aScanGateThatCannotBeReadIsTheFormsOwnErrorWithTheOthersAtOnce() {
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("canaries", "two");
        posted.add("offlineMode", "NEVER");
        posted.add("scanPolicyId", "nightly");
        posted.add("scanFailOn", "SOMETIMES");
        RolloutForm form = RolloutForm.read(posted);
        assertNull(form.request());
        assertEquals("a whole number", form.error("canaries"));
        assertEquals("SKIP, WAIT or FAIL", form.error("offlineMode"));
        assertEquals("not a policy id: nightly", form.error("scanPolicyId"));
        assertEquals("FAILED or WARNED", form.error("scanFailOn"));
        assertEquals("nightly", form.strategy("scanPolicyId"), "what was typed is kept");
    }

    @Test
    void theGateOffersTheTenantsScanPoliciesAndTheChosenOneEvenWhenNotAmongThem() {
        UUID nightly = UUID.randomUUID();
        UUID audit = UUID.randomUUID();
        List<PolicyView> policies = List.of(
                new PolicyView().id(nightly).name("nightly").kind(PolicyKind.SCAN),
                new PolicyView().id(UUID.randomUUID()).name("backup").kind(PolicyKind.BACKUP),
                new PolicyView().id(audit).name("audit").kind(PolicyKind.SCAN));
        RolloutForm form = RolloutForm.empty().withScanPolicies(policies);
        assertEquals(
                List.of(
                        new ScanPolicyChoice(audit.toString(), "audit"),
                        new ScanPolicyChoice(nightly.toString(), "nightly")),
                form.scanPolicies());

        String gone = UUID.randomUUID().toString();
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("scanPolicyId", gone);
        RolloutForm unlisted = RolloutForm.read(posted).withScanPolicies(null);
        assertFalse(unlisted.scanPoliciesListed(), "policy-service did not answer: the page says so");
        assertEquals(
                List.of(gone),
                unlisted.scanPolicies().stream().map(ScanPolicyChoice::id).toList());
    }

    @Test
    void numbersThatAreNotNumbersAreTheFormsOwnErrorsAllAtOnce() {
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("canaries", "two");
        posted.add("maxConcurrency", "1.5");
        posted.add("targetTags", "env");
        RolloutForm form = RolloutForm.read(posted);
        assertNull(form.request());
        assertEquals("a whole number", form.error("canaries"));
        assertEquals("a whole number", form.error("maxConcurrency"));
        assertEquals("line 1: write tags as key=value", form.error("targetTags"));
        assertEquals("two", form.strategy("canaries"), "what was typed is kept");
    }

    @Test
    void theServicesFieldErrorsAreShownAtTheirFields() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("name", "is required");
        errors.put("profileId", "no such profile");
        errors.put("selector", "name at least one of profileIds, tags, clusterIds");
        errors.put("selector.clusterIds[1]", "no such cluster");
        errors.put("selector.tags.env", "too long");
        errors.put("strategy.canaries", "at most 100");
        errors.put("strategy.bakeTime", "an ISO-8601 duration");
        errors.put("strategy.somethingNew", "??");
        errors.put("strategy.scan.policyId", "is required");
        errors.put("strategy.scan.timeout", "an ISO-8601 duration");
        RolloutForm form = RolloutForm.empty().withServiceErrors(errors);
        assertEquals("is required", form.error("name"));
        assertEquals("no such profile", form.error("profileId"));
        assertEquals("name at least one of profileIds, tags, clusterIds", form.error("selector"));
        assertEquals("selector.clusterIds[1]: no such cluster", form.error("targetClusters"));
        assertEquals("selector.tags.env: too long", form.error("targetTags"));
        assertEquals("at most 100", form.error("canaries"));
        assertEquals("an ISO-8601 duration", form.error("bakeTime"));
        assertEquals("strategy.somethingNew: ??", form.error("form"));
        assertEquals("is required", form.error("scanPolicyId"));
        assertEquals("an ISO-8601 duration", form.error("scanTimeout"));
    }
}
