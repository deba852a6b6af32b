package io.edgefleet.cluster.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One Server-Sent Event of {@code GET /v1/clusters/{id}/events} with {@code Accept: text/event-stream}, field by field
 * as it is on the wire ({@code event:}, {@code id:}, {@code data:} lines; {@code data} is one line of JSON). Only for
 * the API document: the stream is written by JAX-RS' SSE support.
 */
@Schema(
        name = "ClusterProgressEvent",
        description = "One Server-Sent Event of a cluster's progress stream. "
                + "`event: task` carries a task as it is now (its start, then its end) with `id` its change number (send it back "
                + "as `Last-Event-ID` to resume after it); `event: cluster` carries the cluster's status (no `id`). The history "
                + "comes first, then live changes; the stream ends once the cluster is DELETED.")
public record ProgressEvent(
        @Schema(
                required = true,
                enumeration = {"task", "cluster"},
                description = "what `data` is: `task` (TaskView) or " + "`cluster` (ClusterStatusEvent)")
        String event,

        @Schema(
                description = "the task change's number (task events only): resume with `Last-Event-ID`",
                nullable = true)
        String id,

        @Schema(
                required = true,
                description = "one line of JSON: a TaskView for `event: task`, a ClusterStatusEvent for "
                        + "`event: cluster`",
                oneOf = {TaskView.class, ClusterStatusEvent.class})
        Object data) {}
