package io.edgefleet.gateway.link;

/** The broker did not acknowledge in time (not connected, connection lost, timeout): try again later. */
public final class LinkDownException extends Exception {
    public LinkDownException(String message, Throwable cause) {
        super(message, cause);
    }
}
