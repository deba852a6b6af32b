package io.edgefleet.gateway.nodes.libvirt;

import org.libvirt.Error;
import org.libvirt.LibvirtException;

/** What a {@link LibvirtException} says: the driver reports libvirt's own message and decides by its error code. */
final class LibvirtErrors {

    private LibvirtErrors() {}

    static Error.ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }

    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null
                ? e.getError().getMessage()
                : String.valueOf(e.getMessage());
    }
}
