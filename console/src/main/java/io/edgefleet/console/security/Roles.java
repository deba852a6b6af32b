package io.edgefleet.console.security;

/**
 * The two roles a tenant user's token may carry, named once for the console's {@code @RolesAllowed} and templates. They
 * are the services' roles (service-kit's {@code io.edgefleet.kit.security.Roles}), spelled again here because the
 * console may not depend on service-kit: that would bring its datasource, Kafka and Hibernate extensions into a console
 * that has none of them (docs: DESIGN.md, the console keeps no state).
 */
public final class Roles {

    /** May read what the tenant has. */
    public static final String VIEWER = "viewer";
    /** May read and change what the tenant has: the console shows it the write controls. */
    public static final String TENANT_ADMIN = "tenant-admin";

    private Roles() {}
}
