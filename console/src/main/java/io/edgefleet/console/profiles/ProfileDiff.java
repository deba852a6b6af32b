package io.edgefleet.console.profiles;

import io.edgefleet.sdk.model.ProfileLayerView;
import io.edgefleet.sdk.model.ProfileRollout;
import io.edgefleet.sdk.model.ProfileView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The difference between two versions of a profile, computed by the console (profile-service has no diff endpoint):
 * what changed in the description, tags and rollout strategy, and layer by layer — a layer is the same layer in both
 * versions when it has the same source, registry and name, wherever it sits in the stack — which layers were added or
 * removed, moved, and which changed their version (as chosen and as linked now), presets or values (line by line).
 */
public final class ProfileDiff {

    /** What happened to a layer. */
    public enum LayerChange {
        ADDED,
        REMOVED,
        CHANGED,
        UNCHANGED
    }

    /** One changed property: its name, the old and the new value ("–" for none). */
    public record Change(String what, String from, String to) {}

    /** One line of a values diff: {@code ' '} kept, {@code '-'} only in the old version, {@code '+'} only in the new. */
    public record Line(char mark, String text) {

        /** {@code added}, {@code removed} or {@code kept} (the page's class for the line). */
        public String kind() {
            return mark == '+' ? "added" : mark == '-' ? "removed" : "kept";
        }

        /** The line as a unified diff shows it. */
        public String shown() {
            return mark + " " + text;
        }
    }

    /** A layer in the difference: its key (name), what happened to it, the changes and the values' line diff. */
    public record Layer(String name, LayerChange change, List<Change> changes, List<Line> values) {

        /** The change in words: added, removed, changed, unchanged. */
        public String changeName() {
            return change.name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the values differ (the line diff then has some {@code +} or {@code -} line). */
        public boolean valuesChanged() {
            return values.stream().anyMatch(l -> l.mark() != ' ');
        }
    }

    private final ProfileView from;
    private final ProfileView to;
    private final List<Change> changes;
    private final List<Layer> layers;

    private ProfileDiff(ProfileView from, ProfileView to, List<Change> changes, List<Layer> layers) {
        this.from = from;
        this.to = to;
        this.changes = changes;
        this.layers = layers;
    }

    public static ProfileDiff between(ProfileView from, ProfileView to) {
        List<Change> changes = new ArrayList<>();
        change(changes, "description", from.getDescription(), to.getDescription());
        Map<String, String> fromTags = from.getTags() == null ? Map.of() : from.getTags();
        Map<String, String> toTags = to.getTags() == null ? Map.of() : to.getTags();
        for (String key : new TreeSet<>(union(fromTags.keySet(), toTags.keySet()))) {
            change(changes, "tag " + key, fromTags.get(key), toTags.get(key));
        }
        change(changes, "rollout strategy", rollout(from.getRollout()), rollout(to.getRollout()));

        Map<String, Indexed> old = byKey(from.getLayers());
        Map<String, Indexed> now = byKey(to.getLayers());
        List<Layer> layers = new ArrayList<>();
        // in the new version's order, then what it no longer has
        now.forEach((key, n) -> {
            Indexed o = old.get(key);
            if (o == null) {
                layers.add(new Layer(
                        label(n.layer), LayerChange.ADDED, describe(n.layer), lines(null, n.layer.getValues())));
                return;
            }
            List<Change> c = new ArrayList<>();
            if (o.position != n.position) {
                c.add(new Change("position", "" + (o.position + 1), "" + (n.position + 1)));
            }
            change(c, "version", o.layer.getVersion(), n.layer.getVersion());
            change(c, "linked release", o.layer.getResolvedVersion(), n.layer.getResolvedVersion());
            change(c, "presets", join(o.layer.getPresets()), join(n.layer.getPresets()));
            change(c, "manifests", manifests(o.layer), manifests(n.layer));
            List<Line> values = lines(o.layer.getValues(), n.layer.getValues());
            boolean valuesChanged = values.stream().anyMatch(l -> l.mark() != ' ');
            layers.add(new Layer(
                    label(n.layer),
                    c.isEmpty() && !valuesChanged ? LayerChange.UNCHANGED : LayerChange.CHANGED,
                    c,
                    values));
        });
        old.forEach((key, o) -> {
            if (!now.containsKey(key)) {
                layers.add(new Layer(
                        label(o.layer), LayerChange.REMOVED, describe(o.layer), lines(o.layer.getValues(), null)));
            }
        });
        return new ProfileDiff(from, to, changes, layers);
    }

    public ProfileView from() {
        return from;
    }

    public ProfileView to() {
        return to;
    }

    /** Changes of the profile itself (description, each tag, the rollout strategy). */
    public List<Change> changes() {
        return changes;
    }

    /** Every layer of either version, in the new version's order, then the removed ones. */
    public List<Layer> layers() {
        return layers;
    }

    /** Whether the two versions differ in anything the diff compares. */
    public boolean same() {
        return changes.isEmpty() && layers.stream().allMatch(l -> l.change() == LayerChange.UNCHANGED);
    }

    /**
     * The lines of {@code after} compared with {@code before} (longest common subsequence): kept lines, lines only in
     * {@code before} ({@code -}) and lines only in {@code after} ({@code +}), in order. Values are small YAML texts (the
     * service's limit is 64 KiB), so the quadratic table is fine.
     */
    static List<Line> lines(String before, String after) {
        List<String> a = split(before);
        List<String> b = split(after);
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.get(i).equals(b.get(j))) {
                out.add(new Line(' ', a.get(i)));
                i++;
                j++;
            } else if (common[i + 1][j] >= common[i][j + 1]) {
                out.add(new Line('-', a.get(i++)));
            } else {
                out.add(new Line('+', b.get(j++)));
            }
        }
        while (i < a.size()) {
            out.add(new Line('-', a.get(i++)));
        }
        while (j < b.size()) {
            out.add(new Line('+', b.get(j++)));
        }
        return out;
    }

    private static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.strip().split("\\R"));
    }

    private record Indexed(int position, ProfileLayerView layer) {}

    private static Map<String, Indexed> byKey(List<ProfileLayerView> layers) {
        Map<String, Indexed> keyed = new LinkedHashMap<>();
        List<ProfileLayerView> list = layers == null ? List.of() : layers;
        for (int i = 0; i < list.size(); i++) {
            ProfileLayerView layer = list.get(i);
            String key = layer.getSource() + "/" + layer.getRegistry() + "/" + layer.getName();
            keyed.putIfAbsent(key, new Indexed(i, layer));
        }
        return keyed;
    }

    private static String label(ProfileLayerView layer) {
        return layer.getName();
    }

    private static List<Change> describe(ProfileLayerView layer) {
        List<Change> c = new ArrayList<>();
        if (layer.getVersion() != null) {
            c.add(new Change("version", "–", layer.getVersion()));
        }
        if (layer.getResolvedVersion() != null) {
            c.add(new Change("linked release", "–", layer.getResolvedVersion()));
        }
        return c;
    }

    private static void change(List<Change> into, String what, String from, String to) {
        if (!Objects.equals(blankToNull(from), blankToNull(to))) {
            into.add(new Change(
                    what, from == null || from.isBlank() ? "–" : from, to == null || to.isBlank() ? "–" : to));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String join(List<String> items) {
        return items == null || items.isEmpty() ? null : String.join(", ", items);
    }

    private static String manifests(ProfileLayerView layer) {
        if (layer.getManifests() == null || layer.getManifests().isEmpty()) {
            return null;
        }
        return layer.getManifests().stream()
                // the content's hash: a changed manifest of the same name differs
                .map(m -> m.getName() + " #" + Integer.toHexString(Objects.hashCode(m.getContent())))
                .reduce((x, y) -> x + ", " + y)
                .orElse(null);
    }

    /** The strategy in one line: IMMEDIATE, or ROLLOUT with its figures. */
    static String rollout(ProfileRollout r) {
        if (r == null || r.getMode() == null) {
            return "IMMEDIATE";
        }
        if ("IMMEDIATE".equals(r.getMode().getValue())) {
            return "IMMEDIATE";
        }
        return "ROLLOUT (canaries " + r.getCanaries()
                + ", waves of " + (r.getWaveSize() != null ? r.getWaveSize() : r.getWavePercent() + "%")
                + ", at most " + r.getMaxConcurrency() + " at once, "
                + (r.getMaxFailurePercent() != null ? r.getMaxFailurePercent() + "%" : r.getMaxFailures())
                + " failures tolerated, bake " + r.getBakeTime()
                + ", offline " + r.getOfflineMode()
                + (r.getScan() == null
                        ? ""
                        : ", scan " + r.getScan().getPolicyId() + " failing on "
                                + r.getScan().getFailOn() + " within "
                                + r.getScan().getTimeout())
                + ")";
    }

    private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        java.util.Set<T> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
