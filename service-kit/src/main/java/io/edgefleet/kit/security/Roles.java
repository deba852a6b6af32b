package io.edgefleet.kit.security;

/**
 * The roles a tenant's bearer token may carry, for {@code @RolesAllowed}. Every service answers to the same two, so
 * they are named once here: a typo in one resource would otherwise lock everybody out of it without a compile error.
 */
public final class Roles {

    /** May read what the tenant has. */
    public static final String VIEWER = "viewer";
    /** May read and change what the tenant has. */
    public static final String TENANT_ADMIN = "tenant-admin";

    private Roles() {}
}
