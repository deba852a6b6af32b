package io.edgefleet.cluster.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One provisioning step of a cluster: a node command sent to a gateway, or a status transition. */
@Entity
@Table(name = "cluster_task")
public class ProvisioningTask extends PanacheEntityBase {

    public static final String CREATE_NODE = "create-node";
    public static final String DELETE_NODE = "delete-node";
    /** A node that stayed down past the grace period is started again (a repair). */
    public static final String START_NODE = "start-node";

    public static final String CLEANUP_CLUSTER = "cleanup-cluster";
    public static final String STATUS = "status";
    /** A change of the definition: scale, profile change, re-link. */
    public static final String CHANGE = "change";
    /** A running node was lost outside any command (removed by hand, crashed): it is replaced. */
    public static final String NODE_LOST = "node-lost";
    /** The cluster's health changed (HEALTHY ⇄ DEGRADED) or its reason did. */
    public static final String HEALTH = "health";

    @Id
    public UUID id;

    @Column(name = "cluster_id")
    public String clusterId;

    public long seq;
    public String kind;

    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "appliance_uid")
    public String applianceUid;

    @Column(name = "command_id")
    public String commandId;

    @Enumerated(EnumType.STRING)
    public TaskStatus status;

    public String message;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The send, then the gateway's latest progress report: the command timeout counts from here. */
    @Column(name = "last_report_at")
    public Instant lastReportAt;
    /** Failed because its gateway stayed silent: a late result is still applied, once. */
    @Column(name = "timed_out")
    public boolean timedOut;
    /** Set by the database on every change; the live stream follows it. */
    @Column(name = "change_no", insertable = false, updatable = false)
    public Long changeNo;

    public boolean running() {
        return status == TaskStatus.RUNNING;
    }

    public void finish(TaskStatus outcome, String text, Instant now) {
        status = outcome;
        message = text;
        finishedAt = now;
    }
}
