package io.edgefleet.console.profiles;

import io.edgefleet.sdk.model.LayerSource;
import io.edgefleet.sdk.model.ProfileLayerView;
import io.edgefleet.sdk.model.ProfileRollout;
import io.edgefleet.sdk.model.ProfileView;
import io.edgefleet.sdk.model.RolloutMode;
import io.edgefleet.sdk.model.ScanGate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileDiffTest {

    @Test
    void theSameVersionHasNoDifference() {
        ProfileView v = version(
                "1.0.0", layer("ubuntu", "22.04.x", "22.04.4", null), layer("kubernetes", "1.29.x", "1.29.2", "a: 1"));
        ProfileDiff diff = ProfileDiff.between(v, v);
        assertTrue(diff.same());
        assertTrue(diff.changes().isEmpty());
        assertTrue(diff.layers().stream().allMatch(l -> l.change() == ProfileDiff.LayerChange.UNCHANGED));
    }

    @Test
    void layersAreMatchedByNameNotPositionAddedRemovedChangedAndMoved() {
        ProfileView from = version(
                "1.0.0",
                layer("ubuntu", "22.04.x", "22.04.4", null),
                layer("kubernetes", "1.28.x", "1.28.9", null),
                layer("calico", "3.27.x", "3.27.0", null));
        ProfileView to = version(
                "1.1.0",
                layer("ubuntu", "22.04.x", "22.04.4", null),
                layer("cilium", "1.15.x", "1.15.1", null),
                layer("kubernetes", "1.29.x", "1.29.2", null));
        ProfileDiff diff = ProfileDiff.between(from, to);

        assertFalse(diff.same());
        assertEquals(
                List.of("ubuntu", "cilium", "kubernetes", "calico"),
                diff.layers().stream().map(ProfileDiff.Layer::name).toList(),
                "the new version's order, then what it no longer has");
        assertEquals(ProfileDiff.LayerChange.UNCHANGED, layer(diff, "ubuntu").change());
        assertEquals(ProfileDiff.LayerChange.ADDED, layer(diff, "cilium").change());
        assertEquals(ProfileDiff.LayerChange.REMOVED, layer(diff, "calico").change());
        ProfileDiff.Layer k8s = layer(diff, "kubernetes");
        assertEquals(ProfileDiff.LayerChange.CHANGED, k8s.change());
        assertEquals(
                List.of(
                        new ProfileDiff.Change("version", "1.28.x", "1.29.x"),
                        new ProfileDiff.Change("linked release", "1.28.9", "1.29.2")),
                k8s.changes().stream().filter(c -> !c.what().equals("position")).toList());
        assertTrue(
                k8s.changes().contains(new ProfileDiff.Change("position", "2", "3")),
                k8s.changes().toString());
    }

    @Test
    void theSameNameFromAnotherRegistryIsAnotherLayer() {
        ProfileLayerView helm =
                layer("nginx", "4.x", "4.10.0", null).source(LayerSource.HELM).registry("r1");
        ProfileLayerView pack = layer("nginx", "1.x", "1.2.0", null);
        ProfileDiff diff = ProfileDiff.between(version("1.0.0", pack), version("1.0.1", helm));
        assertEquals(
                List.of(ProfileDiff.LayerChange.ADDED, ProfileDiff.LayerChange.REMOVED),
                diff.layers().stream().map(ProfileDiff.Layer::change).toList());
    }

    @Test
    void valuesAreComparedLineByLine() {
        ProfileDiff diff = ProfileDiff.between(
                version("1.0.0", layer("kubernetes", "1.29.x", "1.29.2", "a: 1\nb: 2\nc: 3\n")),
                version("1.0.1", layer("kubernetes", "1.29.x", "1.29.2", "a: 1\nb: 20\nc: 3\nd: 4")));
        ProfileDiff.Layer k8s = layer(diff, "kubernetes");
        assertEquals(ProfileDiff.LayerChange.CHANGED, k8s.change());
        assertTrue(k8s.changes().isEmpty(), "only the values changed: " + k8s.changes());
        assertTrue(k8s.valuesChanged());
        assertEquals(
                List.of("  a: 1", "- b: 2", "+ b: 20", "  c: 3", "+ d: 4"),
                k8s.values().stream().map(ProfileDiff.Line::shown).toList());
    }

    @Test
    void lineDiffOfNothingAndOfEverything() {
        assertEquals(List.of(), ProfileDiff.lines(null, " "));
        assertEquals(List.of(new ProfileDiff.Line('+', "x: 1")), ProfileDiff.lines(null, "x: 1"));
        assertEquals(List.of(new ProfileDiff.Line('-', "x: 1")), ProfileDiff.lines("x: 1", ""));
    }

    @Test
    void descriptionTagsAndRolloutStrategyChanges() {
        ProfileView from = version("1.0.0").description("first").tags(Map.of("env", "prod", "old", "x"));
        ProfileView to = version("1.0.1")
                .description("second")
                .tags(Map.of("env", "staging", "new", "y"))
                .rollout(new ProfileRollout()
                        .mode(RolloutMode.ROLLOUT)
                        .canaries(1)
                        .waveSize(5)
                        .maxConcurrency(10)
                        .maxFailures(0)
                        .bakeTime("PT10M")
                        .offlineMode("WAIT"));
        ProfileDiff diff = ProfileDiff.between(from, to);
        assertEquals(
                List.of(
                        new ProfileDiff.Change("description", "first", "second"),
                        new ProfileDiff.Change("tag env", "prod", "staging"),
                        new ProfileDiff.Change("tag new", "–", "y"),
                        new ProfileDiff.Change("tag old", "x", "–"),
                        new ProfileDiff.Change(
                                "rollout strategy",
                                "IMMEDIATE",
                                "ROLLOUT (canaries 1, waves of 5, at most 10 at once, 0 failures tolerated, bake PT10M,"
                                        + " offline WAIT)")),
                diff.changes());
    }

    @Test
    void aScanGateAddedToTheStrategyIsAChangeOfIt() {
        ProfileRollout rolled = new ProfileRollout()
                .mode(RolloutMode.ROLLOUT)
                .canaries(1)
                .wavePercent(10)
                .maxConcurrency(10)
                .maxFailures(0)
                .bakeTime("PT0S")
                .offlineMode("WAIT");
        ProfileView from = version("1.0.0").rollout(rolled);
        ProfileView to = version("1.0.1")
                .rollout(new ProfileRollout()
                        .mode(RolloutMode.ROLLOUT)
                        .canaries(1)
                        .wavePercent(10)
                        .maxConcurrency(10)
                        .maxFailures(0)
                        .bakeTime("PT0S")
                        .offlineMode("WAIT")
                        .scan(new ScanGate().policyId("p-1").failOn("FAILED").timeout("PT30M")));
        String before = "ROLLOUT (canaries 1, waves of 10%, at most 10 at once, 0 failures tolerated, bake PT0S,"
                + " offline WAIT";
        assertEquals(
                List.of(new ProfileDiff.Change(
                        "rollout strategy", before + ")", before + ", scan p-1 failing on FAILED within PT30M)")),
                ProfileDiff.between(from, to).changes());
    }

    private static ProfileDiff.Layer layer(ProfileDiff diff, String name) {
        return diff.layers().stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ProfileView version(String version, ProfileLayerView... layers) {
        return new ProfileView()
                .id("id-" + version)
                .name("edge")
                .version(version)
                .tags(Map.of())
                .layers(List.of(layers));
    }

    private static ProfileLayerView layer(String name, String version, String resolved, String values) {
        return new ProfileLayerView()
                .source(LayerSource.PACK)
                .registry("builtin")
                .name(name)
                .version(version)
                .resolvedVersion(resolved)
                .values(values);
    }
}
