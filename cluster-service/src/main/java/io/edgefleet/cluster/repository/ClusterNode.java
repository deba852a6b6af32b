package io.edgefleet.cluster.repository;

import io.edgefleet.events.payload.NodeRole;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One node of a cluster on one appliance. {@code target} is what the orchestrator wants, {@code stage}
 * where the node is; a command is sent only for a node whose stage does not match its target and that
 * awaits no result.
 */
@Entity
@Table(name = "cluster_node")
public class ClusterNode extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "node_id")
    public String nodeId;

    @Column(name = "pool_name")
    public String poolName;

    @Column(name = "appliance_uid")
    public String applianceUid;

    @Enumerated(EnumType.STRING)
    public NodeRole role;

    @Enumerated(EnumType.STRING)
    public NodeTarget target;

    @Enumerated(EnumType.STRING)
    @Column(name = "state")
    public NodeStage stage;
    /** Hash of the spec it was created from (or will be): a different desired hash means the node is outdated. */
    @Column(name = "spec_hash")
    public String specHash;
    /** The command whose result moves this node on; null while nothing is under way. */
    @Column(name = "awaiting_command")
    public String awaitingCommand;
    /**
     * The latest create or delete command sent for this node; non-null means the node may exist on its appliance. A
     * start (a repair) leaves it: the node is still the one that create made, and its gateway reports that command id.
     */
    @Column(name = "last_command")
    public String lastCommand;

    public String ref;
    /** The primary address (IPv4): what the scans probe. */
    public String ip;
    /** Every address its gateway reported, the primary first (replaced as a whole, never changed in place). */
    @Convert(converter = AddressList.class)
    public List<String> addresses = List.of();

    public String message;

    @Column(name = "observed_state")
    public String observedState;

    @Column(name = "observed_at")
    public Instant observedAt;
    /**
     * Since when its gateway has seen it down (stopped or crashed) while it should run; null while it runs. Set on
     * the first such observation, cleared when it is seen running again.
     */
    @Column(name = "down_since")
    public Instant downSince;
    /** A repair could not start it: the planner replaces it as its pool's rolling strategy says. */
    public boolean broken;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static ClusterNode planned(
            String clusterId, String nodeId, PoolSpec pool, String applianceUid, String specHash, Instant now) {
        ClusterNode n = new ClusterNode();
        n.id = UUID.randomUUID();
        n.clusterId = clusterId;
        n.nodeId = nodeId;
        n.poolName = pool.name();
        n.applianceUid = applianceUid;
        n.role = pool.master() ? NodeRole.MASTER : NodeRole.WORKER;
        n.target = NodeTarget.PRESENT;
        n.stage = NodeStage.PENDING;
        n.specHash = specHash;
        n.createdAt = now;
        n.updatedAt = now;
        return n;
    }

    /** Not gone and not on its way out: counts towards its pool's size. */
    public boolean live() {
        return target == NodeTarget.PRESENT && stage != NodeStage.DELETED;
    }

    /** Its stage matches its target and nothing is under way. */
    public boolean settled() {
        return awaitingCommand == null
                && (target == NodeTarget.PRESENT ? stage == NodeStage.RUNNING : stage == NodeStage.DELETED);
    }

    /** Created and meant to run, but its gateway sees it stopped or crashed. */
    public boolean down() {
        return target == NodeTarget.PRESENT && stage == NodeStage.RUNNING && downSince != null;
    }

    /** Created, meant to run, and running as far as its gateway has said. */
    public boolean running() {
        return stage == NodeStage.RUNNING && downSince == null;
    }

    public boolean gone() {
        return stage == NodeStage.DELETED;
    }
}
