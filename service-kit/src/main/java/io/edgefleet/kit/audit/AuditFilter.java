package io.edgefleet.kit.audit;

import io.edgefleet.kit.rest.CallerTenant;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request gets a request id ({@code X-Request-Id}: the caller's when it is a sane token, else a new UUID), echoed
 * in the response. Every write to {@code /v1} by an authenticated tenant caller — succeeded, refused or failed — is
 * recorded in the audit log ({@link AuditLog}) before the answer leaves: who, which operation, on which path, the
 * status, when, the request id. Never the body, the query string or a header: they may hold secrets.
 */
public class AuditFilter {

    public static final String REQUEST_ID = "X-Request-Id";
    private static final String PROPERTY = AuditFilter.class.getName() + ".requestId";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    @Inject
    AuditLog audit;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter(preMatching = true)
    public void requestId(ContainerRequestContext request) {
        String given = request.getHeaderString(REQUEST_ID);
        request.setProperty(
                PROPERTY,
                given != null && SANE_ID.matcher(given).matches()
                        ? given
                        : UUID.randomUUID().toString());
    }

    @ServerResponseFilter
    public Uni<Void> record(
            ContainerRequestContext request, ContainerResponseContext response, SimpleResourceInfo resource) {
        String requestId = (String) request.getProperty(PROPERTY);
        if (requestId != null) {
            response.getHeaders().putSingle(REQUEST_ID, requestId);
        }
        String path = request.getUriInfo().getPath();
        if (!WRITES.contains(request.getMethod()) || !path.startsWith("/v1/")) {
            return Uni.createFrom().voidItem();
        }
        String action = resource == null || resource.getMethodName() == null ? "unknown" : resource.getMethodName();
        int status = response.getStatus();
        // deferred: authentication is not proactive, and a refused request may never have been authenticated
        return identities
                .getDeferredIdentity()
                .onFailure()
                .recoverWithNull()
                .chain(identity -> identity == null || identity.isAnonymous()
                        ? Uni.createFrom().voidItem()
                        : record(identity, action, request.getMethod(), path, status, requestId));
    }

    private Uni<Void> record(
            SecurityIdentity identity, String action, String method, String path, int status, String requestId) {
        String tenant = CallerTenant.tenantOf(identity);
        if (tenant == null) {
            return Uni.createFrom().voidItem(); // no tenant to file it under (refused with 403 anyway)
        }
        AuditLog.Write write = new AuditLog.Write(
                tenant,
                identity.getPrincipal().getName(),
                action,
                method,
                path.length() > 2048 ? path.substring(0, 2048) : path,
                status,
                requestId == null ? "none" : requestId,
                Instant.now());
        return onEventLoop(audit.record(write)).onFailure().recoverWithItem(e -> {
            // the write itself is done (or refused): the caller must not retry it because the log is away
            LOG.errorf(
                    "audit: could not record %s %s by %s of tenant %s (%d): %s",
                    write.method(), write.target(), write.actor(), tenant, write.status(), e.toString());
            return null;
        });
    }

    /**
     * The audit write is reactive and must start on the request's event loop. A response filter runs on a worker
     * thread where the request was blocking — as when reading a body of unknown length failed ({@code BodyLimit}):
     * there the write is handed to the request's Vert.x context.
     */
    private static Uni<Void> onEventLoop(Uni<Void> write) {
        Context context = Vertx.currentContext();
        if (context == null || Context.isOnEventLoopThread()) {
            return write;
        }
        return Uni.createFrom()
                .emitter(emitter ->
                        context.runOnContext(ignored -> write.subscribe().with(emitter::complete, emitter::fail)));
    }
}
