package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.PlacementRequest;
import io.edgefleet.sdk.model.PoolRequest;
import io.edgefleet.sdk.model.RollingStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node pool of the wizard: pool 0 is the master pool (the service wants exactly one), the others are worker pools.
 * The placement fields of a virtualized cluster (network, storage pools) are given once per pool and apply to each of
 * its appliances.
 */
public final class PoolForm {

    static final Set<String> FIELDS = Set.of(
            "name",
            "size",
            "allowWorkerCapability",
            "rollingStrategy",
            "cpu",
            "memoryGb",
            "rootDiskGb",
            "dataDiskGb",
            "cpuSet",
            "appliances",
            "networkType",
            "networkName",
            "imagePool",
            "targetPool",
            "dataPool");

    /** A text field of the pool as the wizard shows it. */
    public record Spec(String key, String label, boolean number, String hint) {}

    /** The pool's text fields, in the order the original product asks for them. */
    public static final List<Spec> SPECS = List.of(
            new Spec("name", "Pool name", false, ""),
            new Spec("size", "Size", true, "the master pool has 1, 3 or 5 nodes"),
            new Spec("cpu", "CPU", true, "CPUs per node"),
            new Spec("memoryGb", "Memory (GB)", true, ""),
            new Spec("rootDiskGb", "Root disk (GB)", true, "virtualized only"),
            new Spec("dataDiskGb", "Data disk (GB)", true, "virtualized only"),
            new Spec("cpuSet", "CPU set", false, "optional, e.g. 0-1"));

    /** Where a virtualized cluster's nodes go on each of the pool's appliances. */
    public static final List<Spec> PLACEMENT = List.of(
            new Spec("networkName", "Network name", false, ""),
            new Spec("imagePool", "Image storage pool", false, ""),
            new Spec("targetPool", "Target storage pool", false, ""),
            new Spec("dataPool", "Data storage pool", false, ""));

    public List<Spec> specs() {
        return SPECS;
    }

    public List<Spec> placementSpecs() {
        return PLACEMENT;
    }

    private final ClusterWizardForm form;
    private final int index;
    private final Map<String, String> values;
    private final boolean allowWorkerCapability;
    private final List<String> appliances;

    private PoolForm(
            ClusterWizardForm form,
            int index,
            Map<String, String> values,
            boolean allowWorkerCapability,
            List<String> appliances) {
        this.form = form;
        this.index = index;
        this.values = values;
        this.allowWorkerCapability = allowWorkerCapability;
        this.appliances = appliances;
    }

    static PoolForm master(ClusterWizardForm form) {
        return new PoolForm(
                form,
                0,
                new java.util.HashMap<>(Map.of(
                        "name",
                        "masters",
                        "size",
                        "1",
                        "rollingStrategy",
                        "EXPAND_FIRST",
                        "cpu",
                        "1",
                        "memoryGb",
                        "1")),
                true,
                new ArrayList<>());
    }

    static PoolForm worker(ClusterWizardForm form, int index) {
        return new PoolForm(
                form,
                index,
                new java.util.HashMap<>(Map.of(
                        "name",
                        index == 1 ? "workers" : "workers-" + index,
                        "size",
                        "1",
                        "rollingStrategy",
                        "EXPAND_FIRST",
                        "cpu",
                        "1",
                        "memoryGb",
                        "1")),
                false,
                new ArrayList<>());
    }

    static PoolForm read(ClusterWizardForm form, int index, Map<String, List<String>> posted) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String f : FIELDS) {
            values.put(
                    f,
                    ClusterWizardForm.first(posted, "pools[" + index + "]." + f).strip());
        }
        return new PoolForm(
                form,
                index,
                values,
                "true".equals(values.get("allowWorkerCapability")),
                ClusterWizardForm.values(posted, "pools[" + index + "].appliances"));
    }

    /** The same pool at another position (after a pool before it was removed). */
    PoolForm at(int newIndex) {
        return new PoolForm(form, newIndex, values, allowWorkerCapability, appliances);
    }

    /** The pool's request; a number that is not one is an error at its field (and no request is made). */
    PoolRequest request() {
        PoolRequest pool = new PoolRequest()
                .name(value("name"))
                .master(master())
                .size(number("size"))
                .allowWorkerCapability(master() ? allowWorkerCapability : null)
                .cpu(number("cpu"))
                .memoryGb(number("memoryGb"))
                .rootDiskGb(number("rootDiskGb"))
                .dataDiskGb(number("dataDiskGb"))
                .cpuSet(blankToNull(value("cpuSet")));
        String rolling = value("rollingStrategy");
        if (!rolling.isEmpty()) {
            try {
                pool.rollingStrategy(RollingStrategy.fromValue(rolling));
            } catch (IllegalArgumentException e) {
                form.withError(name("rollingStrategy"), "EXPAND_FIRST or CONTRACT_FIRST");
            }
        }
        List<PlacementRequest> placements = new ArrayList<>();
        for (String uid : appliances) {
            PlacementRequest p = new PlacementRequest()
                    .uid(uid)
                    .networkName(blankToNull(value("networkName")))
                    .imagePool(blankToNull(value("imagePool")))
                    .targetPool(blankToNull(value("targetPool")))
                    .dataPool(blankToNull(value("dataPool")));
            if (!value("networkType").isEmpty()) {
                try {
                    p.networkType(PlacementRequest.NetworkTypeEnum.fromValue(value("networkType")));
                } catch (IllegalArgumentException e) {
                    form.withError(name("networkType"), "network or bridge");
                }
            }
            placements.add(p);
        }
        pool.appliances(placements);
        return pool;
    }

    private Integer number(String field) {
        String text = value(field);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            form.withError(name(field), "a whole number");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public int index() {
        return index;
    }

    public boolean master() {
        return index == 0;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean allowWorkerCapability() {
        return allowWorkerCapability;
    }

    public boolean has(String uid) {
        return appliances.contains(uid);
    }

    /** The posted name of {@code field} in this pool: {@code pools[1].cpu}. */
    public String name(String field) {
        return "pools[" + index + "]." + field;
    }

    /** Its element id: {@code f-pools-1-cpu}. */
    public String id(String field) {
        return ClusterWizardForm.id(name(field));
    }

    public String error(String field) {
        return form.error(name(field));
    }

    /** An error about the pool as a whole ({@code pools[1]}). */
    public String poolError() {
        return form.error("pools[" + index + "]");
    }
}
