package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.events.payload.ProfileRelinked;
import io.edgefleet.events.payload.ProfileSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change of a profile version that clusters built from it take: a train re-link of one layer, or an update
 * ({@code PUT /v1/profiles/{id}}) that may replace any of its layers. Both take the same path
 * ({@code ProjectionService.rollForward}, {@link RelinkRoute}); this says what changed, for task messages and the
 * name of the rollout it creates.
 *
 * @param profile the profile after the change
 * @param relink  the re-link, or null for an update
 * @param summary what changed, e.g. {@code profile edge 1.0: kubernetes 1.27.13 → 1.27.14 (train 1.27.x)}
 */
public record ProfileChange(ProfileSnapshot profile, ProfileRelinked relink, String summary) {

    public static ProfileChange relinked(ProfileRelinked r) {
        return new ProfileChange(
                r.profile(),
                r,
                "profile " + r.profileName() + " " + r.profileVersion() + ": " + r.packName() + " " + r.oldVersion()
                        + " → " + r.newVersion() + " (train " + r.train() + ")");
    }

    /** @param before the profile's layers as known before the update; null when it was not known */
    public static ProfileChange updated(List<ProfileLayer> before, ProfileSnapshot after) {
        String what = before == null ? "" : layerChanges(before, after.layers());
        return new ProfileChange(
                after,
                null,
                "profile " + after.name() + " " + after.version() + " updated" + (what.isEmpty() ? "" : ": " + what));
    }

    /**
     * Whether a cluster running {@code running} (the layers of its copy of this profile) would change: a re-link
     * always does; an update only when the resolved stack differs (description, tags or a layer's note alone change
     * nothing).
     */
    public boolean changes(List<ProfileLayer> running) {
        return relink != null || running == null || !sameStack(running, profile.layers());
    }

    /**
     * Whether the change rolls layers other than the OS (an OS patch schedule holds only the OS back): for an update,
     * whether {@code running} differs from the {@code changed} layers once the OS layer is left as it runs.
     */
    public boolean rollsBeyondOs(List<ProfileLayer> running, List<ProfileLayer> changed) {
        if (relink != null) {
            return relink.layer() != PackLayer.OS;
        }
        ProfileLayer runningOs = running.stream()
                .filter(l -> l.layer() == PackLayer.OS)
                .findFirst()
                .orElse(null);
        List<ProfileLayer> withRunningOs = changed.stream()
                .map(l -> l.layer() == PackLayer.OS && runningOs != null ? runningOs : l)
                .toList();
        return !sameStack(running, withRunningOs);
    }

    /** The same layers in the same order, resolved to the same releases, values and manifests. */
    static boolean sameStack(List<ProfileLayer> a, List<ProfileLayer> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return a == b;
        }
        for (int i = 0; i < a.size(); i++) {
            ProfileLayer x = a.get(i), y = b.get(i);
            if (x.layer() != y.layer()
                    || !Objects.equals(x.registryId(), y.registryId())
                    || !Objects.equals(x.name(), y.name())
                    || !Objects.equals(x.resolvedVersion(), y.resolvedVersion())
                    || !Objects.equals(x.mergedValues(), y.mergedValues())
                    || !Objects.equals(x.manifests(), y.manifests())) {
                return false;
            }
        }
        return true;
    }

    /** e.g. {@code kubernetes 1.27.13 → 1.27.14, cni values, +monitoring 2.1.0, −logging}. */
    static String layerChanges(List<ProfileLayer> before, List<ProfileLayer> after) {
        Map<String, ProfileLayer> old = new LinkedHashMap<>();
        before.forEach(l -> old.put(l.name(), l));
        List<String> parts = new ArrayList<>();
        for (ProfileLayer l : after) {
            ProfileLayer o = old.remove(l.name());
            if (o == null) {
                parts.add("+" + l.name() + " " + l.resolvedVersion());
            } else if (!Objects.equals(o.resolvedVersion(), l.resolvedVersion())) {
                parts.add(l.name() + " " + o.resolvedVersion() + " → " + l.resolvedVersion());
            } else if (!sameStack(List.of(o), List.of(l))) {
                parts.add(l.name() + " values");
            }
        }
        old.keySet().forEach(name -> parts.add("−" + name));
        return String.join(", ", parts);
    }
}
