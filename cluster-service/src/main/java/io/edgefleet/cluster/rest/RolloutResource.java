package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.rollout.RolloutStatus;
import io.edgefleet.cluster.service.RolloutFeed;
import io.edgefleet.cluster.service.RolloutService;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.QueryParams;
import io.edgefleet.kit.rest.Validator;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

/** Fleet rollouts: one profile version carried to many clusters in canaries and waves (issue 15). */
@Path("/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts")
@SecurityRequirement(name = "bearer")
public class RolloutResource {

    @Inject
    RolloutService rollouts;

    @Inject
    CallerTenant tenant;

    @Inject
    RolloutFeed feed;

    @Inject
    ProgressStreams streams;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Start a rollout: a profile version to the selected clusters, canaries first, then in waves",
            description =
                    "Every bad field is listed in `errors` (`strategy.maxConcurrency`, `selector.clusterIds[2]`). "
                            + "The targets are fixed now, every one PENDING; the rollout job starts them as the strategy says.")
    @APIResponse(
            responseCode = "201",
            description = "Created (RUNNING)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "409", description = "A selected cluster is in another rollout that is not finished")
    public Uni<Response> createRollout(CreateRolloutRequest body, UriInfo uri) {
        if (body == null) {
            throw ProblemException.missingBody();
        }
        var input = body.validated();
        return rollouts.create(tenant.id(), input, tenant.user())
                .map(l -> Response.created(uri.getAbsolutePathBuilder()
                                .path(l.rollout().id.toString())
                                .build())
                        .entity(RolloutView.of(l.rollout(), l.targets()))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List rollouts (newest first), each with its clusters")
    public Uni<Page<RolloutView>> listRollouts(
            @Parameter(
                            description = "only rollouts in this status",
                            schema = @Schema(implementation = RolloutStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery paging) {
        Validator v = new Validator();
        RolloutStatus filter = QueryParams.enumValue(v, "status", status, RolloutStatus.class);
        int pageNumber = paging.page(v);
        int pageSize = paging.size(v);
        v.throwIfInvalid();
        return rollouts.list(tenant.id(), filter, pageNumber, pageSize)
                .map(p -> new Page<>(
                        p.items().stream()
                                .map(l -> RolloutView.of(l.rollout(), l.targets()))
                                .toList(),
                        p.page(),
                        p.size(),
                        p.total()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one rollout with every cluster's state, reason and timestamps")
    public Uni<RolloutView> getRollout(@PathParam("id") String id) {
        return rollouts.get(tenant.id(), checkedId(id)).map(l -> RolloutView.of(l.rollout(), l.targets()));
    }

    @POST
    @Path("/{id}/pause")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Pause a RUNNING rollout: no cluster starts until it resumes (those rolling finish)")
    @APIResponse(
            responseCode = "200",
            description = "PAUSED",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "409", description = "The rollout is not RUNNING")
    public Uni<RolloutView> pauseRollout(@PathParam("id") String id) {
        return rollouts.pause(tenant.id(), checkedId(id)).map(l -> RolloutView.of(l.rollout(), l.targets()));
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Resume a PAUSED rollout",
            description = "The clusters FAILED so far are accepted: only failures beyond them pause it again.")
    @APIResponse(
            responseCode = "200",
            description = "RUNNING",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "409", description = "The rollout is not PAUSED")
    public Uni<RolloutView> resumeRollout(@PathParam("id") String id) {
        return rollouts.resume(tenant.id(), checkedId(id)).map(l -> RolloutView.of(l.rollout(), l.targets()));
    }

    @POST
    @Path("/{id}/abort")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Abort a RUNNING or PAUSED rollout: no cluster starts any more (those rolling finish)")
    @APIResponse(
            responseCode = "200",
            description = "ABORTED",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "409", description = "The rollout is COMPLETED or ABORTED already")
    public Uni<RolloutView> abortRollout(@PathParam("id") String id) {
        return rollouts.abort(tenant.id(), checkedId(id)).map(l -> RolloutView.of(l.rollout(), l.targets()));
    }

    /**
     * Server-Sent Events: {@code event: rollout} with the rollout and every cluster's state, first as it is now, then at
     * each change ({@code id}: its revision; {@code Last-Event-ID} resumes after it). The stream ends once the rollout
     * is COMPLETED or ABORTED with no cluster still changing, or when the caller's token expires. Counted with the
     * cluster progress streams ({@code cluster.streams-per-user}; 429 beyond).
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary = "Follow a rollout's progress (Server-Sent Events, event: rollout, id: its revision)",
            description = "The rollout now, then at each change, until it is COMPLETED or ABORTED with no cluster"
                    + " still changing; Last-Event-ID resumes.")
    @APIResponse(
            responseCode = "200",
            description = "text/event-stream of `rollout` events",
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema = @Schema(implementation = RolloutProgressEvent.class)))
    @APIResponse(responseCode = "404", description = "No such rollout in your tenant")
    @APIResponse(responseCode = "429", description = "Too many progress streams open for this user")
    @Blocking // the 404 must come before the stream's head is written: the check waits, on a worker thread
    public Multi<OutboundSseEvent> streamRollout(
            @PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long after = QueryParams.intValue("Last-Event-ID", lastEventId, 0, 0, Integer.MAX_VALUE);
        UUID rolloutId = checkedId(id);
        if (!feed.exists(tenant.id(), rolloutId).await().atMost(Duration.ofSeconds(30))) {
            throw ProblemException.notFound("rollout", id);
        }
        Optional<Duration> left = tenant.tokenExpiresAt().map(at -> Duration.between(Instant.now(), at));
        String user = tenant.id() + "/" + tenant.user();
        streams.open(user);
        Multi<RolloutFeed.Progress> items = feed.follow(rolloutId, after);
        if (left.isPresent()) { // the token is checked once, at the request: the stream ends when it expires
            items = items.select().first(left.get().isNegative() ? Duration.ZERO : left.get());
        }
        return items.map(p -> sse.newEventBuilder()
                        .name("rollout")
                        .id(Long.toString(p.revision()))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(RolloutProgressEvent.class, RolloutProgressEvent.of(p))
                        .build())
                .onTermination()
                .invoke(() -> streams.close(user));
    }

    @POST
    @Path("/{id}/clusters/{clusterId}/rollback")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Roll a FAILED cluster of the rollout back to the profile version it had",
            description = "In any status of the rollout. The cluster keeps its add-ons and overrides; a RUNNING one"
                    + " rolls its nodes, a FAILED one takes the old definition and resumes. Its state is ROLLING_BACK,"
                    + " then ROLLED_BACK once RUNNING with every node running (or FAILED again).")
    @APIResponse(
            responseCode = "200",
            description = "The rollout, the cluster ROLLING_BACK",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "404", description = "No such rollout in your tenant, or the cluster is not in it")
    @APIResponse(
            responseCode = "409",
            description = "The cluster is not FAILED in this rollout, or cannot have its profile changed now")
    public Uni<RolloutView> rollBackRolloutCluster(
            @PathParam("id") String id, @PathParam("clusterId") String clusterId) {
        return rollouts.rollback(tenant.id(), checkedId(id), clusterId)
                .map(l -> RolloutView.of(l.rollout(), l.targets()));
    }

    /** Ids are UUIDs; anything else cannot exist. */
    private static UUID checkedId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound(
                    "rollout", id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id);
        }
    }
}
