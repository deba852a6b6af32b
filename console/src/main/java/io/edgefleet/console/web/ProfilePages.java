package io.edgefleet.console.web;

import io.edgefleet.console.forms.ProfileForm;
import io.edgefleet.console.policies.Policies;
import io.edgefleet.console.profiles.ProfileDiff;
import io.edgefleet.console.profiles.Profiles;
import io.edgefleet.console.security.Roles;
import io.edgefleet.sdk.model.PackView;
import io.edgefleet.sdk.model.ProfileView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;
import java.util.Map;

/**
 * Cluster profiles: the list, one version's detail (its layers as chosen and the resolved stack), a new profile, a new
 * version, the difference between two versions ({@link ProfileDiff}) and the pack catalog by layer.
 */
@Path("/profiles")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ProfilePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ProfileView> profiles, String type, List<String> types);

        static native TemplateInstance detail(Profiles.ProfileDetail detail);

        static native TemplateInstance form(ProfileForm form, ProfileView source, List<String> types);

        static native TemplateInstance diff(ProfileDiff diff, List<ProfileView> versions);

        static native TemplateInstance catalog(Map<String, List<PackView>> catalog);
    }

    @Inject
    Profiles profiles;

    @Inject
    Policies policies;

    @GET
    public TemplateInstance list(@QueryParam("type") String type) {
        return Templates.list(profiles.list(type), type == null ? "" : type, Profiles.types());
    }

    @GET
    @Path("/catalog")
    public TemplateInstance catalog() {
        return Templates.catalog(profiles.catalog());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance createForm() {
        return Templates.form(withScanPolicies(ProfileForm.empty()), null, Profiles.types());
    }

    /** Creates the profile ({@code go=add-layer} only adds a layer row to the form). */
    @POST
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> posted) {
        ProfileForm form = ProfileForm.read(posted);
        if ("add-layer".equals(posted.getFirst("go"))) {
            return Response.ok(Templates.form(withScanPolicies(form), null, Profiles.types()))
                    .build();
        }
        return profiles.create(form)
                .map(p -> Response.seeOther(detailUri(p.getId())).build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .type(MediaType.TEXT_HTML)
                        .entity(Templates.form(withScanPolicies(form), null, Profiles.types()))
                        .build());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id) {
        return Templates.detail(profiles.detail(id).orElseThrow(() -> new NotFoundException("no profile " + id)));
    }

    @GET
    @Path("/{id}/versions/new")
    @RolesAllowed(Roles.TENANT_ADMIN)
    public TemplateInstance versionForm(@PathParam("id") String id) {
        ProfileView source = load(id);
        return Templates.form(withScanPolicies(ProfileForm.newVersionOf(source)), source, Profiles.types());
    }

    @POST
    @Path("/{id}/versions")
    @RolesAllowed(Roles.TENANT_ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createVersion(@PathParam("id") String id, MultivaluedMap<String, String> posted) {
        ProfileView source = load(id);
        ProfileForm form = ProfileForm.read(posted);
        if ("add-layer".equals(posted.getFirst("go"))) {
            return Response.ok(Templates.form(withScanPolicies(form), source, Profiles.types()))
                    .build();
        }
        return profiles.createVersion(id, form)
                .map(p -> Response.seeOther(detailUri(p.getId())).build())
                .orElseGet(() -> Response.status(Response.Status.BAD_REQUEST)
                        .type(MediaType.TEXT_HTML)
                        .entity(Templates.form(withScanPolicies(form), source, Profiles.types()))
                        .build());
    }

    /**
     * The form with the tenant's SCAN policies to choose the rollout's scan gate from; a policy-service that does not
     * answer leaves the list out (the page says so) rather than the whole form.
     */
    private ProfileForm withScanPolicies(ProfileForm form) {
        return form.withScanPolicies(policies.scanPoliciesIfAnswering());
    }

    /** This version against another of the same profile ({@code with}; by default the one before it). */
    @GET
    @Path("/{id}/diff")
    public TemplateInstance diff(@PathParam("id") String id, @QueryParam("with") String with) {
        ProfileView to = load(id);
        List<ProfileView> versions = profiles.versions(id);
        ProfileView from;
        if (with != null && !with.isBlank()) {
            // only a version of the same profile (the list is the tenant's, so no other tenant's either)
            from = versions.stream()
                    .filter(v -> v.getId().equals(with))
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException("no version " + with + " of " + id));
        } else {
            int at = indexOf(versions, id);
            from = at > 0 ? versions.get(at - 1) : to;
        }
        return Templates.diff(ProfileDiff.between(from, to), versions);
    }

    private static int indexOf(List<ProfileView> versions, String id) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).getId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private ProfileView load(String id) {
        return profiles.get(id).orElseThrow(() -> new NotFoundException("no profile " + id));
    }

    private static java.net.URI detailUri(String id) {
        return UriBuilder.fromPath("/profiles/{id}").build(id);
    }
}
