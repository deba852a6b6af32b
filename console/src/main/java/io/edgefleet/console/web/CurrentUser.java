package io.edgefleet.console.web;

import io.edgefleet.console.security.Roles;
import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is signed in, for the templates ({@code {cdi:user.admin}}): write controls are shown only to tenant admins
 * ({@link Roles}: {@code tenant-admin} may change, {@code viewer} may read). The services check the roles
 * themselves; hiding the controls only spares viewers a refusal.
 */
@Named("user")
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public boolean admin() {
        return identity.hasRole(Roles.TENANT_ADMIN);
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
        return admin() ? Roles.TENANT_ADMIN : identity.hasRole(Roles.VIEWER) ? Roles.VIEWER : "no role";
    }
}
