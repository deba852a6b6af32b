package io.edgefleet.cluster.rollout;

import io.edgefleet.cluster.Fixtures;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which clusters a profile update changes, and what it is called, decided without I/O. */
class ProfileChangeTest {

    private final ProfileSnapshot before = Fixtures.profile("p-1", CloudType.CONTAINERIZED, "1.27.13", "");
    private final List<ProfileLayer> running = before.layers();

    @Test
    void anUpdateOfTheDescriptionTagsOrNotesLeavesEveryClusterAsItRuns() {
        ProfileSnapshot described = Fixtures.describedAnew(before);
        assertFalse(ProfileChange.updated(running, described).changes(running));
        ProfileSnapshot noted = with(
                before, before.layers().stream().map(l -> l.withNote("checked")).toList());
        assertFalse(ProfileChange.updated(running, noted).changes(running));
        assertEquals(
                "profile edge-containerized 1.0.0 updated",
                ProfileChange.updated(running, noted).summary());
    }

    @Test
    void anUpdateOfALayerChangesTheClustersAndIsNamedAfterIt() {
        ProfileSnapshot after = Fixtures.relinked(before, "1.27.14").profile();
        ProfileChange change = ProfileChange.updated(running, after);
        assertTrue(change.changes(running));
        assertFalse(change.changes(after.layers()), "a cluster already on the new stack");
        assertEquals("profile edge-containerized 1.0.0 updated: kubernetes 1.27.13 → 1.27.14", change.summary());
    }

    @Test
    void valuesAddedAndRemovedLayersAreNamed() {
        List<ProfileLayer> layers = new ArrayList<>(before.layers());
        ProfileLayer cni = layers.get(2);
        layers.set(2, cni.relinked(cni.resolvedVersion(), "pack:\n  calicoNetwork: ipip\n"));
        ProfileLayer removed = layers.remove(4);
        layers.add(new ProfileLayer(
                4,
                removed.source(),
                PackLayer.ADDON,
                removed.registryId(),
                "fluent-bit",
                "2.1.x",
                "2.1.0",
                List.of(),
                "",
                "",
                List.of(),
                null));
        ProfileChange change = ProfileChange.updated(running, with(before, layers));
        assertTrue(change.changes(running));
        assertEquals(
                "profile edge-containerized 1.0.0 updated: calico values, +fluent-bit 2.1.0, −prometheus-operator",
                change.summary());
    }

    @Test
    void aReLinkAlwaysChangesAndOnlyAnUpdateOfTheOsAloneIsHeldWhole() {
        ProfileChange relink = ProfileChange.relinked(Fixtures.relinked(before, "1.27.14"));
        assertTrue(relink.changes(running));
        assertEquals("profile edge-containerized 1.0.0: kubernetes 1.27.13 → 1.27.14 (train 1.27.x)", relink.summary());

        ProfileSnapshot osOnly = Fixtures.relinkedOs(before, "22.04.5").profile();
        ProfileChange os = ProfileChange.updated(running, osOnly);
        assertFalse(os.rollsBeyondOs(running, osOnly.layers()), "the OS waits for the schedule; nothing else");
        ProfileSnapshot both = Fixtures.relinked(osOnly, "1.27.14").profile();
        assertTrue(ProfileChange.updated(running, both).rollsBeyondOs(running, both.layers()));
    }

    private static ProfileSnapshot with(ProfileSnapshot p, List<ProfileLayer> layers) {
        return new ProfileSnapshot(
                p.id(),
                p.name(),
                p.version(),
                p.description(),
                p.tags(),
                p.type(),
                p.environment(),
                p.cloudType(),
                layers,
                p.createdAt(),
                p.updatedAt(),
                p.revision() + 1,
                p.rollout());
    }
}
