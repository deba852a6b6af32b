package io.edgefleet.events.payload;

import java.time.Instant;

/**
 * One provisioning step of a cluster (create a node, delete a node, wait for the nodes, ...), sent when
 * it starts and again when it ends.
 *
 * @param seq    the step's position in the cluster's history, from 1
 * @param status RUNNING, SUCCEEDED or FAILED
 */
public record ClusterTask(
        String clusterId,
        long seq,
        String kind,
        String nodeId,
        String applianceUid,
        String status,
        String message,
        Instant startedAt,
        Instant finishedAt) {}
