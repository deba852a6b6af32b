package io.edgefleet.events.payload;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/** How an edge cluster runs its nodes: Docker containers, or KVM domains through libvirt. */
public enum CloudType {
    @JsonProperty("containerized")
    CONTAINERIZED,
    @JsonProperty("virtualized")
    VIRTUALIZED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
