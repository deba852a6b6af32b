package io.edgefleet.kit.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The tenant of the caller, from the bearer token's {@code tenant} claim. Every query is scoped by it. */
@RequestScoped
public class CallerTenant {

    public static final String CLAIM = "tenant";
    private static final Pattern TENANT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    @Inject
    SecurityIdentity identity;

    /** @throws ProblemException 403 when the token carries no usable tenant */
    public String id() {
        String tenant = tenantOf(identity);
        if (tenant == null) {
            throw new ProblemException(
                    403,
                    "urn:edgefleet:problem:no-tenant",
                    "Forbidden",
                    "the token has no valid 'tenant' claim",
                    List.of());
        }
        return tenant;
    }

    /** The valid tenant claim of {@code identity}, or null. */
    public static String tenantOf(SecurityIdentity identity) {
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(CLAIM) : null;
        String tenant = claim == null ? null : claim.toString().replace("\"", "");
        return tenant != null && TENANT.matcher(tenant).matches() ? tenant : null;
    }

    public String user() {
        return identity.getPrincipal().getName();
    }

    /** When the caller's bearer token expires (its {@code exp}); empty when it carries none. */
    public Optional<Instant> tokenExpiresAt() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            return Optional.of(Instant.ofEpochSecond(jwt.getExpirationTime()));
        }
        return Optional.empty();
    }
}
