package io.edgefleet.gateway.credentials;

/** Where the gateway gets the bearer token it attaches to every report (its per-tenant credential). */
@FunctionalInterface
public interface TokenSource {

    /** A currently valid access token. */
    String token();
}
