package io.edgefleet.events.payload;

/** What the gateway found it runs on; decides the cluster type the appliance can host. */
public enum ApplianceKind {
    /** A virtual machine: containerized clusters. */
    VM,
    /** Bare metal with libvirt: virtualized clusters (one KVM domain per node). */
    BARE_METAL_LIBVIRT,
    /** Bare metal without libvirt: containerized clusters. */
    BARE_METAL
}
