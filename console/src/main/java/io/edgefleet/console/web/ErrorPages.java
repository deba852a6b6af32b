package io.edgefleet.console.web;

import io.edgefleet.console.fleet.ServiceCallFailed;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The console's own error pages: not found (also what another tenant's resource is: the services answer 404 for it),
 * not allowed (a viewer at a write page), and a service that failed or did not answer.
 */
public class ErrorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, "Not found", "There is nothing here, or it belongs to another tenant.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return page(403, "Not allowed", "Your role may look but not change (tenant admins may).");
    }

    @ServerExceptionMapper
    public Response serviceFailed(ServiceCallFailed e) {
        return switch (e.status()) {
            case 404 -> notFound(new NotFoundException());
            case 403 -> forbidden(new ForbiddenException());
            default -> page(502, "A service failed", e.getMessage());
        };
    }

    private static Response page(int status, String title, String message) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML)
                .entity(Templates.error(status, title, message))
                .build();
    }
}
