package io.edgefleet.events.payload;

import java.util.List;

/** Where a pack sits in a cluster's stack. The first four are the core layers, bottom to top. */
public enum PackLayer {
    OS,
    KUBERNETES,
    NETWORK,
    STORAGE,
    ADDON;

    /** The core layers in stack order (mandatory for FULL and INFRA profiles, forbidden for ADDON ones). */
    public static final List<PackLayer> CORE = List.of(OS, KUBERNETES, NETWORK, STORAGE);

    public boolean isCore() {
        return this != ADDON;
    }
}
