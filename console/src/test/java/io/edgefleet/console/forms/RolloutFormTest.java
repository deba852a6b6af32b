package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CreateRolloutRequest;
import io.edgefleet.sdk.model.StrategyRequest;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        RolloutForm form = RolloutForm.empty().withServiceErrors(errors);
        assertEquals("is required", form.error("name"));
        assertEquals("no such profile", form.error("profileId"));
        assertEquals("name at least one of profileIds, tags, clusterIds", form.error("selector"));
        assertEquals("selector.clusterIds[1]: no such cluster", form.error("targetClusters"));
        assertEquals("selector.tags.env: too long", form.error("targetTags"));
        assertEquals("at most 100", form.error("canaries"));
        assertEquals("an ISO-8601 duration", form.error("bakeTime"));
        assertEquals("strategy.somethingNew: ??", form.error("form"));
    }
}
