package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.CreateClusterRequest;
import io.edgefleet.sdk.model.PlacementRequest;
import io.edgefleet.sdk.model.RollingStrategy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wizard's form: what a post becomes, and where each of cluster-service's field names is shown. */
class ClusterWizardFormTest {

    private static Map<String, List<String>> posted(String... pairs) {
        Map<String, List<String>> form = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return form;
    }

    @Test
    void aNewClusterStartsWithAMasterAndAWorkerPool() {
        ClusterWizardForm form = ClusterWizardForm.empty();
        assertEquals(2, form.pools().size());
        assertTrue(form.pools().get(0).master());
        assertEquals("workers", form.pools().get(1).value("name"));
        assertTrue(form.shows(ClusterWizardForm.BASICS));
        assertFalse(form.shows(ClusterWizardForm.PROFILE));
    }

    @Test
    void everyStepsFieldsBecomeTheRequest() {
        ClusterWizardForm form = ClusterWizardForm.read(posted(
                "step", "7",
                "name", " shop-17 ",
                "tags", "site=berlin\n\nteam=retail",
                "profileId", "p-1",
                "addonProfileIds", "a-1",
                "packValues.kubernetes", "pack:\n  podCIDR: 10.0.0.0/16",
                "packValues.calico", "  ",
                "cloudConfig.sshKeys", "ssh-ed25519 AAAA one\n\nssh-ed25519 BBBB two",
                "poolCount", "2",
                "pools[0].name", "masters",
                "pools[0].size", "3",
                "pools[0].allowWorkerCapability", "true",
                "pools[0].rollingStrategy", "CONTRACT_FIRST",
                "pools[0].cpu", "2",
                "pools[0].appliances", "a",
                "pools[0].appliances", "b",
                "pools[0].networkType", "bridge",
                "pools[0].networkName", "br0",
                "pools[1].name", "workers",
                "pools[1].size", "0",
                "policyIds", "x"));
        CreateClusterRequest request = form.request();
        assertEquals("shop-17", request.getName());
        assertEquals(Map.of("site", "berlin", "team", "retail"), request.getTags());
        assertEquals("p-1", request.getProfileId());
        assertEquals(List.of("a-1"), request.getAddonProfileIds());
        assertEquals(Map.of("kubernetes", "pack:\n  podCIDR: 10.0.0.0/16"), request.getPackValues());
        assertEquals(
                List.of("ssh-ed25519 AAAA one", "ssh-ed25519 BBBB two"),
                request.getCloudConfig().getSshKeys());
        assertNull(request.getCloudConfig().getVirtualIp());
        var master = request.getPools().get(0);
        assertTrue(master.getMaster());
        assertEquals(3, master.getSize());
        assertTrue(master.getAllowWorkerCapability());
        assertEquals(RollingStrategy.CONTRACT_FIRST, master.getRollingStrategy());
        assertEquals(
                List.of("a", "b"),
                master.getAppliances().stream().map(PlacementRequest::getUid).toList());
        assertEquals(
                PlacementRequest.NetworkTypeEnum.BRIDGE,
                master.getAppliances().get(1).getNetworkType());
        assertEquals("br0", master.getAppliances().get(0).getNetworkName());
        assertFalse(request.getPools().get(1).getMaster());
        assertEquals(0, request.getPools().get(1).getSize());
        assertEquals(List.of("x"), request.getPolicyIds());
    }

    @Test
    void whatCannotBeReadIsAnErrorAtItsFieldAndNoRequest() {
        ClusterWizardForm form = ClusterWizardForm.read(
                posted("tags", "no equals sign", "poolCount", "1", "pools[0].size", "three", "pools[0].name", "m"));
        assertNull(form.request());
        assertTrue(form.error("tags").contains("key=value"));
        assertEquals("a whole number", form.error("pools[0].size"));
        assertTrue(form.allSteps(), "errors show every step");
    }

    @Test
    void theServicesFieldNamesArePlacedAtTheFormsFields() {
        assertEquals("pools[0].cpu", ClusterWizardForm.formField("pools[0].cpu"));
        assertEquals("pools[1].appliances", ClusterWizardForm.formField("pools[1].appliances[0].uid"));
        assertEquals("pools[1].appliances", ClusterWizardForm.formField("pools[1].appliances[2]"));
        assertEquals("pools[0].appliances", ClusterWizardForm.formField("pools[0].appliances"));
        assertEquals("pools[2].imagePool", ClusterWizardForm.formField("pools[2].appliances[1].imagePool"));
        assertEquals("pools[0]", ClusterWizardForm.formField("pools[0]"));
        assertEquals("cloudConfig.sshKeys", ClusterWizardForm.formField("cloudConfig.sshKeys[1]"));
        assertEquals("cloudConfig.virtualIp", ClusterWizardForm.formField("cloudConfig.virtualIp"));
        assertEquals("addonProfileIds", ClusterWizardForm.formField("addonProfileIds[0]"));
        assertEquals("tags", ClusterWizardForm.formField("tags.site"));
        assertEquals("packValues.kubernetes", ClusterWizardForm.formField("packValues.kubernetes"));
        assertEquals("profileId", ClusterWizardForm.formField("profileId"));
        assertEquals(ClusterWizardForm.FORM, ClusterWizardForm.formField("somethingElse"));

        assertEquals(ClusterWizardForm.POOLS, ClusterWizardForm.stepOf("pools[1].appliances"));
        assertEquals(ClusterWizardForm.PARAMETERS, ClusterWizardForm.stepOf("packValues.kubernetes"));
        assertEquals(ClusterWizardForm.CLOUD, ClusterWizardForm.stepOf("cloudConfig.sshKeys"));
        assertEquals("f-pools-0-cpu", ClusterWizardForm.id("pools[0].cpu"));
    }

    @Test
    void serviceErrorsAreAllShownAtOnceEachAtItsField() {
        ClusterWizardForm form = ClusterWizardForm.read(posted("step", "7", "packValues.kubernetes", "x: 1"))
                .withServiceErrors(Map.of(
                        "pools[0].cpu", "too many CPUs",
                        "pools[0].memoryGb", "too much memory",
                        "packValues.kubernetes", "not YAML",
                        "packValues.calico", "unknown key",
                        "weird", "?"));
        assertEquals("too many CPUs", form.error("pools[0].cpu"));
        assertEquals("too much memory", form.error("pools[0].memoryGb"));
        assertEquals("not YAML", form.error("packValues.kubernetes"));
        // no override box for calico: at the step's own place, naming the pack
        assertEquals("calico: unknown key", form.error("packValues"));
        assertEquals("weird: ?", form.error(ClusterWizardForm.FORM));
        for (int k = ClusterWizardForm.BASICS; k <= ClusterWizardForm.REVIEW; k++) {
            assertTrue(form.shows(k), "step " + k + " hidden");
        }
        assertTrue(form.stepHasErrors(ClusterWizardForm.POOLS));
        assertFalse(form.stepHasErrors(ClusterWizardForm.BASICS));
    }

    @Test
    void poolsAreAddedAndRemovedOnTheNodePoolsStep() {
        ClusterWizardForm form = ClusterWizardForm.empty().go("addPool");
        assertEquals(3, form.pools().size());
        assertEquals(ClusterWizardForm.POOLS, form.step());
        form.go("removePool1");
        assertEquals(2, form.pools().size());
        assertEquals("workers-2", form.pools().get(1).value("name"));
        assertEquals("pools[1].name", form.pools().get(1).name("name"));
        form.go("removePool0"); // the master pool stays
        assertEquals(2, form.pools().size());
        assertEquals(ClusterWizardForm.REVIEW, form.go("99").step());
    }
}
