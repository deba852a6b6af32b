package io.edgefleet.console.web;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is signed in, for the templates ({@code {cdi:user.admin}}): write controls are shown only to tenant admins
 * (service-kit's roles: {@code tenant-admin} may change, {@code viewer} may read). The services check the roles
 * themselves; hiding the controls only spares viewers a refusal.
 */
@Named("user")
@RequestScoped
public class CurrentUser {

    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String VIEWER = "viewer";

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public boolean admin() {
        return identity.hasRole(TENANT_ADMIN);
    }

    public String name() {
        if (!signedIn()) {
            return "";
        }
        String name = idToken.getClaim("preferred_username");
        return name != null ? name : identity.getPrincipal().getName();
    }

    public String tenant() {
        if (!signedIn()) {
            return "";
        }
        Object tenant = idToken.getClaim("tenant");
        return tenant == null ? "" : tenant.toString();
    }

    public String role() {
        return admin() ? TENANT_ADMIN : identity.hasRole(VIEWER) ? VIEWER : "no role";
    }
}
