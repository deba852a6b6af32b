package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.cluster.orchestration.NodeIds;
import io.edgefleet.cluster.service.ClusterInputRules;
import io.edgefleet.cluster.service.ClusterService;
import io.edgefleet.cluster.service.NodeConsoles;
import io.edgefleet.cluster.service.TaskFeed;
import io.edgefleet.events.payload.ClusterStatus;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsoleRequest;
import io.edgefleet.kit.rest.CallerTenant;
import io.edgefleet.kit.rest.Page;
import io.edgefleet.kit.rest.PageQuery;
import io.edgefleet.kit.rest.Problem;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.edgefleet.kit.security.Roles.TENANT_ADMIN;
import static io.edgefleet.kit.security.Roles.VIEWER;

@Path("/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "clusters")
@SecurityRequirement(name = "bearer")
public class ClusterResource {

    private static final Pattern CLUSTER_ID = Pattern.compile("c[0-9a-f]{8}");
    private static final int PENDING_RETRY_SECONDS = 2;
    private static final int UNREACHABLE_RETRY_SECONDS = 30;

    @Inject
    ClusterService clusters;

    @Inject
    TaskFeed feed;

    @Inject
    CallerTenant tenant;

    @Inject
    ProgressStreams streams;

    @Inject
    NodeConsoles consoles;

    @Inject
    ClusterConfig config;

    @POST
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary = "Define a cluster and start provisioning it on its appliances",
            description =
                    "The body's shape, then pre-flight against what the service knows of the profiles and appliances: "
                            + "every problem is listed in `errors`, each naming its field (`pools[1].appliances[0].networkName`).")
    @APIResponse(
            responseCode = "201",
            description = "Created; provisioning has started (PROVISIONING)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The name is taken, or an appliance was just taken by another cluster")
    public Uni<Response> createCluster(CreateClusterRequest body, UriInfo uri) {
        if (body == null) {
            throw ProblemException.missingBody();
        }
        var input = body.validated();
        return clusters.create(tenant.id(), input)
                .map(l -> Response.created(uri.getAbsolutePathBuilder()
                                .path(l.cluster().id)
                                .build())
                        .entity(ClusterView.of(l.cluster(), l.nodes()))
                        .build());
    }

    @GET
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List clusters (newest first); DELETED clusters are not listed")
    public Uni<Page<ClusterView>> listClusters(
            @Parameter(
                            description = "only clusters in this status (DELETED ones are never listed)",
                            schema = @Schema(implementation = ClusterStatus.class))
                    @QueryParam("status")
                    String status,
            @BeanParam PageQuery paging) {
        Validator v = new Validator(); // every bad parameter named in one answer
        ClusterStatus filter = QueryParams.enumValue(v, "status", status, ClusterStatus.class);
        int pageNumber = paging.page(v);
        int pageSize = paging.size(v);
        v.throwIfInvalid();
        return clusters.list(tenant.id(), filter, pageNumber, pageSize)
                .map(p -> new Page<>(
                        p.items().stream()
                                .map(l -> ClusterView.of(l.cluster(), l.nodes()))
                                .toList(),
                        p.page(),
                        p.size(),
                        p.total()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "Get one cluster (also a DELETED one, for the record)")
    public Uni<ClusterView> getCluster(@PathParam("id") String id) {
        return clusters.get(tenant.id(), checkedId(id)).map(l -> ClusterView.of(l.cluster(), l.nodes()));
    }

    @GET
    @Path("/{id}/nodes")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(summary = "List the cluster's nodes (those not yet deleted)")
    @APIResponse(
            responseCode = "200",
            description = "The nodes, oldest first",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = NodeView.class)))
    public Uni<List<NodeView>> listClusterNodes(@PathParam("id") String id) {
        return clusters.get(tenant.id(), checkedId(id))
                .map(l -> l.nodes().stream()
                        .filter(n -> !n.gone())
                        .map(NodeView::of)
                        .toList());
    }

    @GET
    @Path("/{id}/nodes/{node}/console")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary = "Read the tail of a node's console",
            description =
                    "A virtualized node's serial console (as libvirt logged it), a containerized node's container "
                            + "output (stdout and stderr). The node's gateway reads it: the call waits up to "
                            + "`cluster.console-wait` (10 s) for the answer, else answers 202 with status PENDING — ask again "
                            + "(the same read is waited on while it is open). At most `lines` lines and 128 KiB; the lines are "
                            + "shown as the node printed them. Only 503 when the node's appliance is not reporting.")
    @APIResponse(
            responseCode = "200",
            description = "The last lines (status READY)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = NodeConsoleView.class)))
    @APIResponse(
            responseCode = "202",
            description = "The gateway has not answered yet (status PENDING): ask again after Retry-After seconds",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = NodeConsoleView.class)))
    @APIResponse(responseCode = "404", description = "No such cluster or node in your tenant")
    @APIResponse(
            responseCode = "409",
            description = "The node has no console to read: not created yet, being deleted, or its gateway could not "
                    + "read it (the reason says why, e.g. the node does not exist on the appliance)")
    @APIResponse(
            responseCode = "503",
            description = "The node's appliance is not reporting (UNREACHABLE or not paired): no gateway would answer; "
                    + "try again after Retry-After seconds")
    public Uni<Response> readNodeConsole(
            @PathParam("id") String id,
            @PathParam("node") String node,
            @Parameter(
                            description = "how many of the last lines (1 to 1000)",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            defaultValue = "100",
                                            minimum = "1",
                                            maximum = "1000"))
                    @QueryParam("lines")
                    String lines) {
        String clusterId = checkedId(id);
        int count = QueryParams.intValue("lines", lines, 100, 1, NodeConsoleRequest.MAX_LINES);
        if (node == null || !NodeIds.ID.matcher(node).matches()) {
            throw ProblemException.notFound(
                    "node", node == null ? "" : node.length() > 64 ? node.substring(0, 64) + "..." : node);
        }
        return consoles.open(tenant.id(), clusterId, node, count)
                .chain(commandId -> consoles.await(commandId, config.consoleWait()))
                .map(ClusterResource::console)
                .onFailure(NodeConsoles.ApplianceUnreachable.class)
                .recoverWithItem(e -> Response.status(503)
                        .type(Problem.MEDIA_TYPE)
                        .header("Retry-After", UNREACHABLE_RETRY_SECONDS)
                        .entity(new Problem(
                                "urn:edgefleet:problem:appliance-unreachable",
                                "Appliance unreachable",
                                503,
                                e.getMessage(),
                                "/v1/clusters/" + clusterId + "/nodes/" + node + "/console",
                                "node",
                                List.of(new Problem.FieldError("node", e.getMessage()))))
                        .build());
    }

    private static Response console(NodeConsoles.ReadState read) {
        if (!read.answered()) {
            return Response.accepted(NodeConsoleView.of(read))
                    .header("Retry-After", PENDING_RETRY_SECONDS)
                    .build();
        }
        if (read.outcome() != CommandResult.Outcome.SUCCEEDED) {
            throw ProblemException.conflict(
                    "node", "the gateway could not read the console of node " + read.nodeId() + ": " + read.message());
        }
        return Response.ok(NodeConsoleView.of(read)).build();
    }

    @GET
    @Path("/{id}/events")
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(
            summary = "List the cluster's provisioning tasks, or follow them live",
            description =
                    "With `Accept: application/json`: every task so far, in order. With `Accept: text/event-stream`: "
                            + "Server-Sent Events (ClusterProgressEvent) — every task change (`event: task`, `id` its change number) "
                            + "and status change (`event: cluster`), first the history, then live; the stream ends once the cluster "
                            + "is DELETED or the caller's token expires (resume with a new token), and `Last-Event-ID` resumes "
                            + "after that change. One user may have `cluster.streams-per-user` (10) streams open; one more is 429.")
    @Parameter(
            name = "Last-Event-ID",
            in = ParameterIn.HEADER,
            description = "text/event-stream only: resume after this "
                    + "change number (the `id` of the last event received)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @APIResponse(
            responseCode = "200",
            description = "The tasks in order (JSON), or the progress stream (Server-Sent Events)",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(type = SchemaType.ARRAY, implementation = TaskView.class)),
                @Content(
                        mediaType = MediaType.SERVER_SENT_EVENTS,
                        schema = @Schema(implementation = ProgressEvent.class))
            })
    @APIResponse(
            responseCode = "429",
            description = "text/event-stream only: the caller has as many progress streams open as one user may "
                    + "(cluster.streams-per-user); close one first")
    public Uni<List<TaskView>> listClusterTasks(@PathParam("id") String id) {
        return clusters.tasks(tenant.id(), checkedId(id))
                .map(tasks -> tasks.stream().map(TaskView::of).toList());
    }

    /**
     * Server-Sent Events: every task change ({@code event: task}, {@code id} its change number) and every
     * status change ({@code event: cluster}), first the history, then live; the stream ends once the cluster
     * is DELETED, or when the caller's token expires (a stream must not outlive its authorisation: the client resumes
     * with a new token and {@code Last-Event-ID}). At most {@code cluster.streams-per-user} streams per user; 429 for
     * one more.
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({VIEWER, TENANT_ADMIN})
    @Operation(hidden = true) // documented with listClusterTasks: one operation, two media types
    @Blocking // the 404 must come before the stream's head is written: the check waits, on a worker thread
    // the name sorts after listClusterTasks': for a request that accepts anything (*/*) RESTEasy Reactive then picks
    // the
    // JSON list, and the stream only for Accept: text/event-stream
    public Multi<OutboundSseEvent> streamClusterTasks(
            @PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        long after = QueryParams.intValue("Last-Event-ID", lastEventId, 0, 0, Integer.MAX_VALUE);
        String clusterId = checkedId(id);
        if (!feed.exists(tenant.id(), clusterId).await().atMost(Duration.ofSeconds(30))) {
            throw ProblemException.notFound("cluster", clusterId);
        }
        Optional<Duration> left = tenant.tokenExpiresAt().map(at -> Duration.between(Instant.now(), at));
        String user = tenant.id() + "/" + tenant.user();
        streams.open(user); // 429 when the user has too many: before the stream's head is written
        Multi<TaskFeed.Item> items = feed.follow(clusterId, after);
        if (left.isPresent()) { // the token is checked once, at the request: the stream ends when it expires
            items = items.select().first(left.get().isNegative() ? Duration.ZERO : left.get());
        }
        return items.map(item -> sseEvent(sse, item)).onTermination().invoke(() -> streams.close(user));
    }

    private static OutboundSseEvent sseEvent(Sse sse, TaskFeed.Item item) {
        if (item instanceof TaskFeed.TaskChanged t) {
            return sse.newEventBuilder()
                    .name("task")
                    .id(Long.toString(t.changeNo()))
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(TaskView.class, TaskView.of(t.task()))
                    .build();
        }
        return sse.newEventBuilder()
                .name("cluster")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(ClusterStatusEvent.class, ClusterStatusEvent.of((TaskFeed.StatusChanged) item))
                .build();
    }

    @PUT
    @Path("/{id}/pools/{pool}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Scale a pool of a RUNNING cluster (and optionally set its rolling strategy)")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; the cluster is UPDATING",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "404", description = "No such cluster or pool in your tenant")
    @APIResponse(responseCode = "409", description = "The cluster is not RUNNING")
    public Uni<Response> scaleClusterPool(
            @PathParam("id") String id, @PathParam("pool") String pool, ScalePoolRequest body) {
        Validator v = new Validator(); // the pool name and the body together: one 400 lists both
        v.text(pool, "pool", 1, 63, ClusterInputRules.POOL, "must be a pool name");
        if (v.requireBody(body)) {
            body.validate(v);
        }
        v.throwIfInvalid();
        return clusters.scale(tenant.id(), checkedId(id), pool, body.size(), body.rollingStrategy())
                .map(ClusterResource::accepted);
    }

    @PUT
    @Path("/{id}/profile")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Change the profile, add-ons or pack overrides: a RUNNING cluster rolls its nodes, a FAILED one uses them on retry")
    @APIResponse(
            responseCode = "202",
            description = "Accepted",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is neither RUNNING nor FAILED")
    public Uni<Response> changeClusterProfile(@PathParam("id") String id, ChangeProfileRequest body) {
        if (body == null) {
            throw ProblemException.missingBody();
        }
        body.validate();
        return clusters.changeProfile(
                        tenant.id(),
                        checkedId(id),
                        body.profileId(),
                        body.addonProfileIds() == null ? List.of() : body.addonProfileIds(),
                        body.packValues() == null ? Map.of() : body.packValues())
                .map(ClusterResource::accepted);
    }

    @PUT
    @Path("/{id}/maintenance-window")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Set when rollouts may touch the cluster: a cron (opening times) in a time zone, open for a duration")
    @APIResponse(
            responseCode = "200",
            description = "The cluster with its window",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is being deleted")
    public Uni<ClusterView> setClusterMaintenanceWindow(@PathParam("id") String id, MaintenanceWindowRequest body) {
        if (body == null) {
            throw ProblemException.missingBody();
        }
        return clusters.maintenanceWindow(tenant.id(), checkedId(id), body.validated())
                .map(l -> ClusterView.of(l.cluster(), l.nodes()));
    }

    @DELETE
    @Path("/{id}/maintenance-window")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Remove the cluster's maintenance window: rollouts may touch it at any time")
    @APIResponse(
            responseCode = "200",
            description = "The cluster without a window",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is being deleted")
    public Uni<ClusterView> removeClusterMaintenanceWindow(@PathParam("id") String id) {
        return clusters.maintenanceWindow(tenant.id(), checkedId(id), null)
                .map(l -> ClusterView.of(l.cluster(), l.nodes()));
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Resume a FAILED cluster from the failed step")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; the cluster resumes",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is not FAILED")
    public Uni<Response> retryCluster(@PathParam("id") String id) {
        return clusters.retry(tenant.id(), checkedId(id)).map(ClusterResource::accepted);
    }

    @POST
    @Path("/{id}/abort")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(summary = "Abort provisioning: remove what was created, then DELETED")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; the cluster is DELETING",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is not being provisioned")
    public Uni<Response> abortCluster(@PathParam("id") String id) {
        return clusters.abort(tenant.id(), checkedId(id)).map(ClusterResource::accepted);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(TENANT_ADMIN)
    @Operation(
            summary =
                    "Delete a RUNNING cluster: every node and its resources removed, then DELETED and gone from the list")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; the cluster is DELETING",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The cluster is not fully provisioned (abort one being provisioned)")
    public Uni<Response> deleteCluster(@PathParam("id") String id) {
        return clusters.delete(tenant.id(), checkedId(id)).map(ClusterResource::accepted);
    }

    private static Response accepted(ClusterService.Loaded l) {
        return Response.accepted(ClusterView.of(l.cluster(), l.nodes())).build();
    }

    /** Ids are ours ({@code c} + 8 hex); anything else cannot exist. */
    private static String checkedId(String id) {
        if (id == null || !CLUSTER_ID.matcher(id).matches()) {
            throw ProblemException.notFound(
                    "cluster", id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id);
        }
        return id;
    }
}
